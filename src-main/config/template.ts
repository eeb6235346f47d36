/**
 * A commented ASCT_focusrestore config in the form HiTMicTools reads, for "New from template".
 * Values are HiTMicTools' documented ones, `method: basicpy_fl` included (BaSiC on the fluorescence;
 * HiTMicTools' own `standard` fails on the PI channel).
 */
export function configTemplate(pipeline: string, modelCollection: string): string {
  return `# HiTMicTools run config (HiTMic Studio template). Runs with 'hitmic run' and 'hitmictools run'.
input_data:
  input_folder: ./movies          # folder holding the movies
  output_folder: ./results        # created if missing
  file_type: .tif                 # movie suffix (.tif, .tiff, .ome.tif, .nd2)
  file_pattern: ""                # glob prefix; "" means every movie
  export_labelled_masks: true     # also write {movie}_labels.tif

pipeline_setup:
  name: ${pipeline}
  parallel_processing: false
  num_workers: 1
  reference_channel: 0            # brightfield
  pi_channel: 1                   # propidium iodide fluorescence
  align_frames: true
  method: basicpy_fl              # background: basicpy_fl (BaSiC on fluorescence) | basicpy | standard
  focus_correction: true
  tracking: true

models:
  model_collection: ${JSON.stringify(modelCollection)}

tracking:
  backend: hungarian
  version: v5
  parameters:
    max_distance: 15.0
`;
}
