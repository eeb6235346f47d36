import AssessmentIcon from '@mui/icons-material/Assessment';
import CollectionsIcon from '@mui/icons-material/Inventory2';
import MemoryIcon from '@mui/icons-material/Memory';
import MovieIcon from '@mui/icons-material/Movie';
import PlaylistPlayIcon from '@mui/icons-material/PlaylistPlay';
import RuleIcon from '@mui/icons-material/Rule';
import TuneIcon from '@mui/icons-material/Tune';
import type { ReactElement } from 'react';
import type { ViewId } from '../stores/navigation';
import { CollectionsView } from './CollectionsView';
import { ConfigView } from './ConfigView';
import { QcView } from './QcView';
import { ResourcesView } from './ResourcesView';
import { ResultsView } from './ResultsView';
import { RunsView } from './RunsView';
import { ViewerView } from './ViewerView';

export interface ViewEntry {
  id: ViewId;
  label: string;
  icon: ReactElement;
  component: () => ReactElement;
}

/** The views of DESIGN.md, in navigation order. */
export const VIEW_ENTRIES: ViewEntry[] = [
  { id: 'collections', label: 'Collections', icon: <CollectionsIcon />, component: CollectionsView },
  { id: 'config', label: 'Config', icon: <TuneIcon />, component: ConfigView },
  { id: 'viewer', label: 'Viewer', icon: <MovieIcon />, component: ViewerView },
  { id: 'qc', label: 'QC', icon: <RuleIcon />, component: QcView },
  { id: 'runs', label: 'Runs', icon: <PlaylistPlayIcon />, component: RunsView },
  { id: 'resources', label: 'Resources', icon: <MemoryIcon />, component: ResourcesView },
  { id: 'results', label: 'Results', icon: <AssessmentIcon />, component: ResultsView },
];
