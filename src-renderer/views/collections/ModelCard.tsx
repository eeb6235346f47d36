import {
  Alert,
  Box,
  Card,
  CardContent,
  Chip,
  Table,
  TableBody,
  TableCell,
  TableRow,
  Typography,
} from '@mui/material';
import type { ModelReport, TensorInfo } from '../../../src-shared/api';
import { displayShape } from '../../../src-shared/collections';
import { formatBytes } from '../../stores/collections';

const shape = (t: TensorInfo) => `${t.name} [${displayShape(t.shape, '×')}] ${t.type}`;

/** One model of a collection: what it is, what goes in and out, whether it can run and why not. */
export function ModelCard({ model }: { model: ModelReport }) {
  return (
    <Card variant="outlined" data-testid={`model-${model.key}`}>
      <CardContent>
        <Box sx={{ display: 'flex', gap: 1, alignItems: 'center', mb: 1 }}>
          <Typography variant="subtitle1" sx={{ fontFamily: 'monospace' }}>
            {model.key}
          </Typography>
          {model.architecture && <Chip size="small" label={model.architecture} />}
          <Chip size="small" variant="outlined" label={model.format} />
          <Chip
            size="small"
            color={model.runnable ? 'success' : 'warning'}
            label={model.runnable ? (model.conversion ? 'runnable, converted' : 'runnable') : 'not runnable'}
            title={model.runnableReason}
          />
        </Box>
        <Table size="small" sx={{ tableLayout: 'fixed', width: '100%', '& td': { wordBreak: 'break-word' } }}>
          <TableBody>
            {model.inputs.map((t) => (
              <TableRow key={`in-${t.name}`}>
                <TableCell sx={{ width: 110 }}>input</TableCell>
                <TableCell sx={{ fontFamily: 'monospace' }}>{shape(t)}</TableCell>
              </TableRow>
            ))}
            {model.outputs.map((t) => (
              <TableRow key={`out-${t.name}`}>
                <TableCell>output</TableCell>
                <TableCell sx={{ fontFamily: 'monospace' }}>{shape(t)}</TableCell>
              </TableRow>
            ))}
            {model.files.map((f) => (
              <TableRow key={f.path}>
                <TableCell>file</TableCell>
                <TableCell sx={{ fontFamily: 'monospace', fontSize: 12 }}>
                  {f.path} · {formatBytes(f.size)} · sha256 {f.sha256.slice(0, 12)}…
                </TableCell>
              </TableRow>
            ))}
            {[
              ['architecture args', (model.metadata as { model_args?: unknown } | null)?.model_args],
              ['inferer args', model.infererArgs],
              ['model args', model.modelArgs],
            ]
              .filter(([, v]) => v)
              .map(([k, v]) => (
                <TableRow key={String(k)}>
                  <TableCell>{String(k)}</TableCell>
                  <TableCell sx={{ fontFamily: 'monospace', fontSize: 12 }}>{JSON.stringify(v)}</TableCell>
                </TableRow>
              ))}
          </TableBody>
        </Table>
        {model.conversion && (
          <Typography variant="body2" color="text.secondary" sx={{ mt: 1 }} data-testid="conversion-note">
            Runs as ONNX converted from the .pth by {model.conversion.converter} (converter{' '}
            {model.conversion.converterVersion}); the conversion is cached in the library.
          </Typography>
        )}
        {!model.runnable && (
          <Alert severity="warning" sx={{ mt: 1, whiteSpace: 'pre-wrap' }}>
            {model.runnableReason}
          </Alert>
        )}
        {model.problems.map((p) => (
          <Alert
            key={`${p.code}-${p.path ?? ''}-${p.message}`}
            severity={p.severity}
            sx={{ mt: 1, whiteSpace: 'pre-wrap' }}
          >
            {p.message}
            {p.fix ? ` — ${p.fix}` : ''}
          </Alert>
        ))}
      </CardContent>
    </Card>
  );
}
