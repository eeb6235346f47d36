/**
 * What to tell a microscopist whose collection holds PyTorch or scikit-learn weights: HiTMic
 * Studio runs ONNX only, so each non-ONNX model comes with the exact steps to export it.
 */
import type { ModelKey } from '../../src-shared/collections';
import type { ModelFormat } from '../../src-shared/collections';

export function formatOf(file: string): ModelFormat {
  if (/\.onnx$/i.test(file)) return 'onnx';
  if (/\.(pth|pt)$/i.test(file)) return 'pytorch';
  if (/\.(joblib|pkl)$/i.test(file)) return 'sklearn';
  return 'unknown';
}

const ARCH_IMPORT: Partial<Record<ModelKey, string>> = {
  bf_focus: 'from HiTMicTools.model_arch.nafnet import NAFNet as Arch',
  fl_focus: 'from HiTMicTools.model_arch.nafnet import NAFNet as Arch',
  segmentation: 'from monai.networks.nets import UNet as Arch',
  cell_classifier: 'from HiTMicTools.model_arch.flexresnet import FlexResNet as Arch',
};

/** Python steps that export `weights` (with `metadata`) to ONNX opset 17 with dynamic height/width. */
export function conversionRecipe(
  key: ModelKey,
  format: ModelFormat,
  weights: string,
  metadata: string | null,
): string {
  if (format === 'sklearn') {
    return [
      'Needs conversion to ONNX (scikit-learn pickles cannot run outside Python). In Python:',
      '  pip install skl2onnx joblib',
      '  import joblib; from skl2onnx import to_onnx; from skl2onnx.common.data_types import FloatTensorType',
      `  clf = joblib.load("${weights}")`,
      '  names = list(clf.feature_names_in_)',
      '  onx = to_onnx(clf, initial_types=[("features", FloatTensorType([None, len(names)]))], target_opset={"": 17, "ai.onnx.ml": 3},',
      '                options={id(clf): {"zipmap": False}})',
      '  meta = onx.metadata_props.add(); meta.key = "feature_names"; meta.value = ",".join(names)',
      '  open("PIClassifier.onnx", "wb").write(onx.SerializeToString())',
      'Keep the input name "features" (HiTMicTools ignores feature_names when the input is named input/X).',
    ].join('\n');
  }
  if (format === 'pytorch') {
    const arch = ARCH_IMPORT[key];
    if (!arch) {
      return `Needs conversion to ONNX: ${key} (RF-DETR) is exported with its own tool, e.g. rfdetr's model.export() or BacDETR's InferenceModel.export(), at opset 17.`;
    }
    return [
      'Needs conversion to ONNX (HiTMic Studio runs ONNX only). In Python with torch and HiTMicTools installed:',
      `  import json, torch; ${arch}`,
      `  args = json.load(open("${metadata ?? 'metadata.json'}"))["model_args"]`,
      '  net = Arch(**args); net.load_state_dict(torch.load("' +
        weights +
        '", map_location="cpu")); net.eval()',
      key === 'cell_classifier'
        ? '  x = torch.zeros(1, 1, 128, 128)  # the classifier min_size from the run config'
        : '  x = torch.zeros(1, 1, 256, 256)  # one single-channel patch',
      '  torch.onnx.export(net, x, "model.onnx", opset_version=17, input_names=["input"], output_names=["output"],',
      key === 'cell_classifier'
        ? '                    dynamic_axes={"input": {0: "N"}, "output": {0: "N"}})  # output: [N, num_classes] logits'
        : '                    dynamic_axes={"input": {0: "N", 2: "H", 3: "W"}, "output": {0: "N", 2: "H", 3: "W"}})',
      'Then point model_path at model.onnx (hitmic collection create does the rest).',
    ].join('\n');
  }
  return `Unsupported weights format '${weights}': expected .onnx (runnable), .pth/.pt (PyTorch) or .joblib/.pkl (scikit-learn).`;
}
