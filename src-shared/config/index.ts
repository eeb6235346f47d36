/**
 * HiTMicTools run configs, validated without Node: the YAML read with line and column for every
 * diagnostic, the schema of each section, the documented variants accepted with a warning naming
 * the canonical form. The same validator serves `hitmic config validate` and the Config view.
 */
export * from './cluster-section';
export * from './devices';
export * from './diagnostics';
export {
  INPUT_DATA_SPEC,
  MEMORY_STAGES,
  MODELS_SPEC,
  PIPELINE_SETUP_SPEC,
  TRACKING_SPEC,
  type FieldSpec,
  type FieldType,
  type SectionSpec,
} from './schema';
export { infererArgsRequired } from './model-section';
export * from './validate';
export { diag, YamlSource, type YamlPath } from './yaml-source';
