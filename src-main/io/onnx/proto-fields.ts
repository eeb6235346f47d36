/**
 * The rest of onnx.proto (IR v3–v10) that a graph transform needs when it rewrites tensors, node
 * attributes and declared types (the half-precision transform of src-main/inference/float16/):
 * every field of TensorProto, AttributeProto and the tensor part of TypeProto, and the enums of
 * element and attribute types. ./schema.ts names the subset the readers use.
 */

/** TensorProto: every field (segment, external_data and data_location mark data held elsewhere). */
export const TENSOR_FIELD = {
  dims: 1,
  dataType: 2,
  segment: 3,
  floatData: 4,
  int32Data: 5,
  stringData: 6,
  int64Data: 7,
  name: 8,
  rawData: 9,
  doubleData: 10,
  uint64Data: 11,
  docString: 12,
  externalData: 13,
  dataLocation: 14,
} as const;

/** AttributeProto: the value fields, one per attribute type, and `type` saying which one is set. */
export const ATTRIBUTE_FIELD = {
  name: 1,
  f: 2,
  i: 3,
  s: 4,
  t: 5,
  g: 6,
  floats: 7,
  ints: 8,
  strings: 9,
  tensors: 10,
  graphs: 11,
  docString: 13,
  type: 20,
  refAttrName: 21,
  sparseTensor: 22,
  sparseTensors: 23,
} as const;

/** AttributeProto.AttributeType. */
export const ATTRIBUTE_TYPE = {
  float: 1,
  int: 2,
  string: 3,
  tensor: 4,
  graph: 5,
  floats: 6,
  ints: 7,
  strings: 8,
  tensors: 9,
  graphs: 10,
  sparseTensor: 11,
  sparseTensors: 12,
} as const;

/** GraphProto fields beyond ./schema.ts's GRAPH. */
export const GRAPH_FIELD = { valueInfo: 13, sparseInitializer: 15 } as const;

/** ModelProto.functions: model-local functions, called by nodes of their own domain. */
export const MODEL_FUNCTIONS = 25;

/** ValueInfoProto.type (a TypeProto) → TypeProto.tensor_type (1) → TypeProto.Tensor.elem_type (1). */
export const TYPE_PROTO = {
  tensorType: 1,
  sequenceType: 4,
  mapType: 5,
  sparseTensorType: 8,
  optionalType: 9,
} as const;
export const TENSOR_TYPE_PROTO = { elemType: 1, shape: 2 } as const;

/** TensorProto.DataType. */
export const DATA_TYPE = {
  undefined: 0,
  float: 1,
  uint8: 2,
  int8: 3,
  uint16: 4,
  int16: 5,
  int32: 6,
  int64: 7,
  string: 8,
  bool: 9,
  float16: 10,
  double: 11,
  uint32: 12,
  uint64: 13,
  complex64: 14,
  complex128: 15,
  bfloat16: 16,
} as const;

/** TensorProto.DataLocation.EXTERNAL: the values live in a file beside the model. */
export const DATA_LOCATION_EXTERNAL = 1;
