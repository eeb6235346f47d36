import DownloadIcon from '@mui/icons-material/Download';
import { ObjectFilterFields } from '../../components/ObjectFilterFields';
import {
  Box,
  Button,
  Paper,
  Table,
  TableBody,
  TableCell,
  TableContainer,
  TableHead,
  TablePagination,
  TableRow,
  TableSortLabel,
  Typography,
} from '@mui/material';
import { useMemo } from 'react';
import type { ResultCell, ResultTable } from '../../../src-shared/api';
import { distinctValues, filterRows, sortRows } from '../../../src-shared/results';
import { frameBound, useResults } from '../../stores/results';
import { downloadCsv } from './export';

const show = (v: ResultCell) =>
  v === null ? '' : typeof v === 'number' ? (Number.isInteger(v) ? String(v) : v.toPrecision(4)) : v;

/** The per-cell table: sortable by any column, filtered by class, PI status and frame range, paged. */
export function CellTable({ table, movie }: { table: ResultTable; movie: string }) {
  const { view, setView } = useResults();
  const classes = useMemo(() => distinctValues(table, 'object_class'), [table]);
  const rows = useMemo(() => {
    const filtered = filterRows(table, {
      className: view.className || undefined,
      pi: view.pi,
      frameMin: frameBound(view.frameMin),
      frameMax: frameBound(view.frameMax),
    });
    const si = view.sortColumn ? table.columns.indexOf(view.sortColumn) : -1;
    return si >= 0 ? sortRows(filtered, si, view.sortDirection) : filtered;
  }, [table, view.className, view.pi, view.frameMin, view.frameMax, view.sortColumn, view.sortDirection]);
  const page = Math.min(view.page, Math.max(0, Math.ceil(rows.length / view.rowsPerPage) - 1));
  const shown = rows.slice(page * view.rowsPerPage, (page + 1) * view.rowsPerPage);
  const sortBy = (c: string) =>
    setView({
      sortColumn: c,
      sortDirection: view.sortColumn === c && view.sortDirection === 'asc' ? 'desc' : 'asc',
    });

  return (
    <Paper variant="outlined" sx={{ p: 1.5 }} data-testid="cell-table">
      <Box sx={{ display: 'flex', gap: 1.5, flexWrap: 'wrap', alignItems: 'center', mb: 1 }}>
        <Typography variant="subtitle2" sx={{ mr: 1 }}>
          Cells
        </Typography>
        <ObjectFilterFields values={view} classes={classes} onChange={setView} testId="table" />
        <Typography variant="body2" color="text.secondary" data-testid="table-count" sx={{ flex: 1 }}>
          {rows.length} of {table.rows.length} rows
        </Typography>
        <Button
          size="small"
          startIcon={<DownloadIcon />}
          onClick={() => downloadCsv(table.columns, rows, `${movie}_cells_filtered.csv`)}
        >
          CSV (filtered)
        </Button>
      </Box>
      <TableContainer sx={{ maxHeight: 480 }}>
        <Table size="small" stickyHeader>
          <TableHead>
            <TableRow>
              {table.columns.map((c) => (
                <TableCell
                  key={c}
                  sortDirection={view.sortColumn === c ? view.sortDirection : false}
                  sx={{ whiteSpace: 'nowrap', fontWeight: 600 }}
                >
                  <TableSortLabel
                    active={view.sortColumn === c}
                    direction={view.sortColumn === c ? view.sortDirection : 'asc'}
                    onClick={() => sortBy(c)}
                    data-testid={`sort-${c}`}
                  >
                    {c}
                  </TableSortLabel>
                </TableCell>
              ))}
            </TableRow>
          </TableHead>
          <TableBody>
            {shown.map((r, i) => (
              <TableRow key={`${String(r[0])}-${i}`} hover>
                {r.map((v, j) => (
                  <TableCell key={j} sx={{ whiteSpace: 'nowrap', fontVariantNumeric: 'tabular-nums' }}>
                    {show(v)}
                  </TableCell>
                ))}
              </TableRow>
            ))}
          </TableBody>
        </Table>
      </TableContainer>
      <TablePagination
        component="div"
        count={rows.length}
        page={page}
        rowsPerPage={view.rowsPerPage}
        rowsPerPageOptions={[25, 50, 100, 250]}
        onPageChange={(_e, p) => setView({ page: p })}
        onRowsPerPageChange={(e) => setView({ rowsPerPage: Number(e.target.value), page: 0 })}
      />
    </Paper>
  );
}
