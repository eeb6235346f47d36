/**
 * Field numbers and enums of onnx.proto (ONNX IR v3–v10) that this project reads or writes. The
 * walker in ./protobuf.ts is schema-free; these name what its field numbers mean.
 */

/** ModelProto */
export const MODEL = {
  irVersion: 1,
  producerName: 2,
  producerVersion: 3,
  docString: 6,
  graph: 7,
  opsetImport: 8,
  metadataProps: 14,
} as const;

/** GraphProto */
export const GRAPH = {
  node: 1,
  name: 2,
  initializer: 5,
  input: 11,
  output: 12,
  sparseInitializer: 15,
} as const;

/** NodeProto */
export const NODE = { input: 1, output: 2, name: 3, opType: 4, attribute: 5, domain: 7 } as const;

/** TensorProto */
export const TENSOR = { dims: 1, dataType: 2, floatData: 4, name: 8, rawData: 9, dataLocation: 14 } as const;

/** AttributeProto */
export const ATTRIBUTE = {
  name: 1,
  f: 2,
  i: 3,
  s: 4,
  t: 5,
  g: 6,
  floats: 7,
  ints: 8,
  graphs: 11,
  type: 20,
} as const;

/** AttributeProto.AttributeType */
export const ATTRIBUTE_TYPE = { float: 1, int: 2, string: 3, tensor: 4, floats: 6, ints: 7 } as const;

/** TypeProto (tensor_type = 1), TypeProto.Tensor and TensorShapeProto(.Dimension) */
export const TYPE = { tensorType: 1 } as const;
export const TENSOR_TYPE = { elemType: 1, shape: 2 } as const;
export const SHAPE = { dim: 1 } as const;
export const DIMENSION = { dimValue: 1, dimParam: 2 } as const;

/** ValueInfoProto */
export const VALUE_INFO = { name: 1, type: 2 } as const;

/** OperatorSetIdProto */
export const OPSET_ID = { domain: 1, version: 2 } as const;

/** StringStringEntryProto (metadata_props) */
export const STRING_ENTRY = { key: 1, value: 2 } as const;

/** SparseTensorProto: `values` is a TensorProto whose name is the initializer's name. */
export const SPARSE_TENSOR = { values: 1 } as const;

/** TensorProto.DataType → our element-type names. */
export const ELEM_TYPES: Record<number, string> = {
  1: 'float32',
  2: 'uint8',
  3: 'int8',
  4: 'uint16',
  5: 'int16',
  6: 'int32',
  7: 'int64',
  8: 'string',
  9: 'bool',
  10: 'float16',
  11: 'float64',
  12: 'uint32',
  13: 'uint64',
  14: 'complex64',
  15: 'complex128',
  16: 'bfloat16',
};

/** TensorProto.DataType.FLOAT and AttributeProto.AttributeType.FLOAT share the value 1. */
export const FLOAT_TYPE = 1;
