import DownloadIcon from '@mui/icons-material/Download';
import ImageIcon from '@mui/icons-material/Image';
import { Box, Button, Paper } from '@mui/material';
import type { ReactNode } from 'react';
import type { ResultCell } from '../../../src-shared/api';
import type { ChartSpec } from '../../../src-shared/charts';
import { SvgChart } from '../../components/SvgChart';
import { downloadChartPng, downloadChartSvg, downloadCsv } from './export';

/** How tall the Results plots are drawn; their width follows the card. */
const PLOT_HEIGHT = 320;

/**
 * One Results plot: the chart (title, legend, axes with units inside it, so exports carry them)
 * and its exports: SVG and PNG of the chart, CSV of the numbers behind it.
 */
export function PlotCard(props: {
  id: string;
  spec: ChartSpec;
  fileStem: string;
  table: { columns: string[]; rows: ResultCell[][] };
  actions?: ReactNode;
}) {
  const { id, spec, fileStem } = props;
  return (
    <Paper
      variant="outlined"
      sx={{ p: 0.5, pt: 1, flex: '1 1 480px', minWidth: 0 }}
      data-testid={`plot-${id}`}
    >
      <Box sx={{ display: 'flex', alignItems: 'center', gap: 1, justifyContent: 'flex-end', px: 1 }}>
        {props.actions}
        <Box sx={{ flex: 1 }} />
        <Button
          size="small"
          startIcon={<DownloadIcon />}
          onClick={() => downloadChartSvg(spec, `${fileStem}.svg`)}
          data-testid={`plot-${id}-svg`}
          aria-label={`${spec.title}: download as SVG`}
        >
          SVG
        </Button>
        <Button
          size="small"
          startIcon={<ImageIcon />}
          onClick={() => void downloadChartPng(spec, `${fileStem}.png`)}
          data-testid={`plot-${id}-png`}
          aria-label={`${spec.title}: download as PNG`}
        >
          PNG
        </Button>
        <Button
          size="small"
          startIcon={<DownloadIcon />}
          onClick={() => downloadCsv(props.table.columns, props.table.rows, `${fileStem}.csv`)}
          data-testid={`plot-${id}-csv`}
          aria-label={`${spec.title}: download the numbers as CSV`}
        >
          CSV
        </Button>
      </Box>
      <SvgChart spec={spec} height={PLOT_HEIGHT} testId={`plot-${id}-chart`} />
    </Paper>
  );
}
