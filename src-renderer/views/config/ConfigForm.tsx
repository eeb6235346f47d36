import { Box, FormControlLabel, MenuItem, Switch, TextField, Typography } from '@mui/material';
import type { Diagnostic } from '../../../src-shared/config';
import {
  INPUT_DATA_SPEC,
  MODELS_SPEC,
  PIPELINE_SETUP_SPEC,
  type FieldSpec,
  type SectionSpec,
} from '../../../src-shared/config';
import { getYamlValue, setYamlValue } from './yaml-edit';

/** The fields shown in the form, per section; the rest stays editable in the YAML. */
const FORM: { section: string; title: string; spec: SectionSpec; keys: string[] }[] = [
  {
    section: 'input_data',
    title: 'Input',
    spec: INPUT_DATA_SPEC,
    keys: ['input_folder', 'output_folder', 'file_type', 'file_pattern', 'export_labelled_masks'],
  },
  {
    section: 'pipeline_setup',
    title: 'Pipeline',
    spec: PIPELINE_SETUP_SPEC,
    keys: [
      'name',
      'reference_channel',
      'pi_channel',
      'align_frames',
      'method',
      'focus_correction',
      'tracking',
      'parallel_processing',
      'num_workers',
    ],
  },
  { section: 'models', title: 'Models', spec: MODELS_SPEC, keys: ['model_collection'] },
];

const PIPELINES = [
  'ASCT_focusrestore',
  'ASCT_scsegm',
  'ASCT_ImageProcessing',
  'ASCT_cellasic',
  'ASCT_zaslavier',
  'oof_detection',
];

function parseInput(spec: FieldSpec, raw: string): unknown {
  if (raw === '' && spec.nullable) return null;
  if (spec.type === 'int' || spec.type === 'number') {
    const n = Number(raw);
    return raw.trim() !== '' && Number.isFinite(n) ? n : raw;
  }
  return raw;
}

function Field({
  section,
  name,
  spec,
  text,
  diagnostics,
  onChange,
}: {
  section: string;
  name: string;
  spec: FieldSpec;
  text: string;
  diagnostics: Diagnostic[];
  onChange(t: string): void;
}) {
  const path = [section, name];
  const value = getYamlValue(text, path);
  const problem = diagnostics.find((d) => d.path === `${section}.${name}` && d.severity !== 'info');
  const set = (v: unknown) => onChange(setYamlValue(text, path, v));
  const label = name.replace(/_/g, ' ');
  const id = `cfg-${section}-${name}`;
  if (spec.type === 'bool') {
    return (
      <Box>
        <FormControlLabel
          control={
            <Switch
              size="small"
              checked={value === true}
              onChange={(e) => set(e.target.checked)}
              slotProps={{ input: { id } }}
            />
          }
          label={label}
        />
        {problem && (
          <Typography
            variant="caption"
            color={problem.severity === 'error' ? 'error' : 'warning.main'}
            sx={{ display: 'block' }}
          >
            {problem.message}
          </Typography>
        )}
      </Box>
    );
  }
  const options = name === 'name' ? PIPELINES : spec.enum?.filter((e): e is string => typeof e === 'string');
  return (
    <TextField
      id={id}
      label={label}
      select={Boolean(options)}
      value={value === null || value === undefined ? '' : String(value)}
      onChange={(e) => set(parseInput(spec, e.target.value))}
      error={problem?.severity === 'error'}
      helperText={problem ? problem.message : spec.doc}
      fullWidth
      sx={{ mb: 1.5 }}
      slotProps={{ inputLabel: { shrink: true }, htmlInput: { 'data-testid': id } }}
    >
      {options?.map((o) => (
        <MenuItem key={o} value={o}>
          {o}
        </MenuItem>
      ))}
    </TextField>
  );
}

/** A form over the most used settings, writing into the same YAML text the editor shows. */
export function ConfigForm({
  text,
  diagnostics,
  onChange,
}: {
  text: string;
  diagnostics: Diagnostic[];
  onChange(t: string): void;
}) {
  return (
    <Box data-testid="config-form">
      {FORM.map((group) => (
        <Box key={group.section} sx={{ mb: 2 }}>
          <Typography variant="subtitle2" sx={{ mb: 1 }}>
            {group.title}{' '}
            <Typography component="span" variant="caption" color="text.secondary">
              ({group.section})
            </Typography>
          </Typography>
          {group.keys.map((k) => (
            <Field
              key={k}
              section={group.section}
              name={k}
              spec={group.spec[k]}
              text={text}
              diagnostics={diagnostics}
              onChange={onChange}
            />
          ))}
        </Box>
      ))}
    </Box>
  );
}
