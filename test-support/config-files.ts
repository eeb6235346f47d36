import fs from 'node:fs';
import path from 'node:path';

const CONFIGS = path.resolve(__dirname, 'configs');

/**
 * Text of one example run config in test-support/configs/ (see its README). Tests of src-shared
 * read their fixtures through here because src-shared itself may not import Node built-ins.
 */
export function exampleConfig(name: string): string {
  return fs.readFileSync(path.join(CONFIGS, name), 'utf8');
}
