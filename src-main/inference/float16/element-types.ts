/**
 * The element type of every value of an ONNX graph, as the fp32 model computes it: from the graph
 * inputs, initializers and Constant nodes forward through each node's type rule (ONNX's operator
 * schemas, the "T → T" ones listed, the others spelt out). A value no rule covers takes the type the
 * model declares for it (value_info, graph outputs); a float value whose type cannot be told at all
 * makes the transform refuse rather than guess.
 */
import { ONNX_DATA_TYPE as DT } from '../../io';
import { Float16ConversionError } from './errors';
import { readTensorInfo, type ModelView, type NodeInfo } from './graph-reader';

/** Not a tensor (a sequence, map or optional value): never converted. */
export const NOT_A_TENSOR = -1;

/** Default-domain ops whose every output has the element type of their first input. */
const SAME_AS_FIRST = new Set(
  (
    'Abs Acos Acosh Add And Asin Asinh Atan Atanh AveragePool BatchNormalization BitShift BitwiseAnd ' +
    'BitwiseNot BitwiseOr BitwiseXor BlackmanWindow Ceil Celu CenterCropPad Clip Col2Im Compress Concat ' +
    'Conv ConvTranspose Cos Cosh CumSum DepthToSpace Det Div Einsum Elu Erf Exp Expand Flatten Floor Gather ' +
    'GatherElements GatherND Gelu Gemm GlobalAveragePool GlobalLpPool GlobalMaxPool GridSample ' +
    'GroupNormalization GRU HammingWindow HannWindow HardSigmoid HardSwish Hardmax Identity ' +
    'InstanceNormalization LeakyRelu Log LogSoftmax LpNormalization LpPool LRN LSTM MatMul Max MaxRoiPool ' +
    'MaxUnpool Mean MeanVarianceNormalization Min Mish Mod Mul Neg Not Or Pad Pow PRelu Range Reciprocal ' +
    'ReduceL1 ReduceL2 ReduceLogSum ReduceLogSumExp ReduceMax ReduceMean ReduceMin ReduceProd ReduceSum ' +
    'ReduceSumSquare Relu Reshape Resize ReverseSequence RNN RoiAlign Round Scatter ScatterElements ScatterND ' +
    'Selu Shrink Sigmoid Sign Sin Sinh Slice Softmax Softplus Softsign SpaceToDepth Split Sqrt Squeeze Sub Sum ' +
    'Tan Tanh ThresholdedRelu Tile Transpose Trilu Unsqueeze Upsample Xor ImageScaler Crop'
  ).split(' '),
);

/** Default-domain ops with outputs of a fixed type. */
const FIXED: Record<string, number[]> = {
  Shape: [DT.int64],
  Size: [DT.int64],
  NonZero: [DT.int64],
  ArgMax: [DT.int64],
  ArgMin: [DT.int64],
  NonMaxSuppression: [DT.int64],
  Equal: [DT.bool],
  Greater: [DT.bool],
  GreaterOrEqual: [DT.bool],
  Less: [DT.bool],
  LessOrEqual: [DT.bool],
  IsNaN: [DT.bool],
  IsInf: [DT.bool],
  MatMulInteger: [DT.int32],
  ConvInteger: [DT.int32],
  DynamicQuantizeLinear: [DT.uint8, DT.float, DT.uint8],
  TfIdfVectorizer: [DT.float],
  StringNormalizer: [DT.string],
};

type Rule = (
  node: NodeInfo,
  typeOf: (name: string) => number,
  attrInt: (name: string) => number | undefined,
) => number[];

const first = (n: NodeInfo, typeOf: (name: string) => number) => typeOf(n.inputs[0]);

/** Default-domain ops whose types depend on an attribute or on an input other than the first. */
const SPECIAL: Record<string, Rule> = {
  Cast: (_n, _t, attr) => [attr('to') ?? DT.undefined],
  CastLike: (n, t) => [t(n.inputs[1])],
  Where: (n, t) => [t(n.inputs[1])],
  OneHot: (n, t) => [t(n.inputs[2])],
  TopK: (n, t) => [first(n, t), DT.int64],
  MaxPool: (n, t) => [first(n, t), DT.int64],
  Dropout: (n, t) => [first(n, t), DT.bool],
  Unique: (n, t) => [first(n, t), DT.int64, DT.int64, DT.int64],
  LayerNormalization: (n, t, attr) => [
    first(n, t),
    attr('stash_type') ?? DT.float,
    attr('stash_type') ?? DT.float,
  ],
  QuantizeLinear: (n, t) => [n.inputs[2] ? t(n.inputs[2]) : DT.uint8],
  DequantizeLinear: (n, t) => [t(n.inputs[1])],
  QLinearConv: (n, t) => [t(n.inputs[7])],
  QLinearMatMul: (n, t) => [t(n.inputs[7])],
  RandomNormal: (_n, _t, attr) => [attr('dtype') ?? DT.float],
  RandomUniform: (_n, _t, attr) => [attr('dtype') ?? DT.float],
  RandomNormalLike: (n, t, attr) => [attr('dtype') ?? first(n, t)],
  RandomUniformLike: (n, t, attr) => [attr('dtype') ?? first(n, t)],
  Bernoulli: (n, t, attr) => [attr('dtype') ?? first(n, t)],
  EyeLike: (n, t, attr) => [attr('dtype') ?? first(n, t)],
  Multinomial: (_n, _t, attr) => [attr('dtype') ?? DT.int32],
};

/** ai.onnx.ml ops: classifiers give labels (strings or int64) and float scores; transformers float. */
function mlRule(node: NodeInfo, typeOf: (name: string) => number): number[] | undefined {
  const has = (name: string) => node.attributes.some((a) => a.name === name);
  switch (node.opType) {
    case 'TreeEnsembleClassifier':
    case 'LinearClassifier':
    case 'SVMClassifier':
      return [has('classlabels_strings') ? DT.string : DT.int64, DT.float];
    case 'TreeEnsembleRegressor':
    case 'TreeEnsemble':
    case 'LinearRegressor':
    case 'SVMRegressor':
    case 'Scaler':
    case 'Normalizer':
    case 'FeatureVectorizer':
    case 'OneHotEncoder':
      return [DT.float];
    case 'Binarizer':
    case 'Imputer':
    case 'ArrayFeatureExtractor':
      return [typeOf(node.inputs[0])];
    case 'ZipMap':
      return [NOT_A_TENSOR];
    case 'LabelEncoder':
      if (has('values_strings')) return [DT.string];
      if (has('values_int64s')) return [DT.int64];
      if (has('values_floats')) return [DT.float];
      return undefined;
    default:
      return undefined;
  }
}

/** Sequence and optional values hide their element type from these rules: refused, not guessed. */
const SEQUENCE_OPS = /^(Sequence|Optional)|^(SplitToSequence|ConcatFromSequence)$/;

/** The element type a Constant node gives its output. */
function constantType(v: ModelView, node: NodeInfo): number {
  for (const a of node.attributes) {
    if (a.name === 'value' && a.tensor) return readTensorInfo(v.bytes, a.tensor).dataType;
    if (a.name === 'value_float' || a.name === 'value_floats') return DT.float;
    if (a.name === 'value_int' || a.name === 'value_ints') return DT.int64;
    if (a.name === 'value_string' || a.name === 'value_strings') return DT.string;
  }
  return DT.undefined;
}

/** ConstantOfShape: the type of its `value` tensor, float32 without one. */
export function constantOfShapeType(v: ModelView, node: NodeInfo): number {
  const value = node.attributes.find((a) => a.name === 'value' && a.tensor);
  return value?.tensor ? readTensorInfo(v.bytes, value.tensor).dataType : DT.float;
}

function unknownType(v: ModelView, node: NodeInfo, output: string, why: string): never {
  throw new Float16ConversionError(
    'unknown-type',
    v.label,
    `the element type of '${output}' (output of node '${node.name || node.opType}', ${node.domain || 'ai.onnx'}::${node.opType}) cannot be told: ${why}`,
    'Export the model with shape inference (onnx.shape_inference.infer_shapes) so value_info declares it.',
  );
}

/**
 * Element type of every named value: graph inputs, initializers and node outputs. Throws
 * Float16ConversionError ('graph-order' for a node reading a value no earlier node made,
 * 'sequence-values', 'unknown-type').
 */
export function inferElementTypes(v: ModelView): Map<string, number> {
  const types = new Map<string, number>();
  const declared = new Map<string, number>();
  for (const d of [...v.valueInfo, ...v.outputs]) if (d.elemType !== 0) declared.set(d.name, d.elemType);
  for (const i of v.initializers) types.set(i.name, i.dataType);
  for (const i of v.inputs) {
    if (types.has(i.name)) continue;
    if (i.elemType === DT.undefined)
      throw new Float16ConversionError(
        'unknown-type',
        v.label,
        `graph input '${i.name}' declares no element type`,
        'Export the model with typed inputs.',
      );
    types.set(i.name, i.elemType);
  }
  for (const node of v.nodes) {
    const typeOf = (name: string): number => {
      if (!name) return DT.undefined; // an optional input left out
      const t = types.get(name);
      if (t === undefined)
        throw new Float16ConversionError(
          'graph-order',
          v.label,
          `node '${node.name || node.opType}' reads '${name}', which no earlier node, initializer or graph input provides`,
          'The graph must list its nodes in topological order (onnx.checker.check_model tells); fix the export.',
        );
      return t;
    };
    const attrInt = (name: string) => {
      const a = node.attributes.find((x) => x.name === name);
      return a?.int === undefined ? undefined : Number(a.int);
    };
    for (const input of node.inputs) if (input) typeOf(input);
    let out: number[] | undefined;
    if (node.domain === '') {
      if (SEQUENCE_OPS.test(node.opType))
        throw new Float16ConversionError(
          'sequence-values',
          v.label,
          `node '${node.name || node.opType}' (${node.opType}) works on sequence or optional values`,
          'Models with sequences run in fp32.',
        );
      if (node.opType === 'Constant') out = [constantType(v, node)];
      else if (node.opType === 'ConstantOfShape') out = [constantOfShapeType(v, node)];
      else if (SAME_AS_FIRST.has(node.opType)) out = node.outputs.map(() => first(node, typeOf));
      else if (FIXED[node.opType]) out = FIXED[node.opType];
      else if (SPECIAL[node.opType]) out = SPECIAL[node.opType](node, typeOf, attrInt);
    } else if (node.domain === 'ai.onnx.ml') out = mlRule(node, typeOf);
    node.outputs.forEach((name, k) => {
      if (!name) return;
      const t = out?.[k] ?? declared.get(name);
      if (t === undefined || t === DT.undefined)
        unknownType(
          v,
          node,
          name,
          out ? 'no type for this output' : `no type rule for this op and no declared type`,
        );
      types.set(name, t);
    });
  }
  return types;
}
