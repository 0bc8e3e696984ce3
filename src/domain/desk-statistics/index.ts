/**
 * deskStatistics: how the desk is doing over a window of time (editors and admins). Every figure is
 * computed in the database (statement.ts); the window's rules are in window.ts.
 */
import type { Queryable } from '../../db/connection.js';
import { EDITORS, requireRole, type Viewer } from '../viewer.js';
import { queryDeskFigures, type DeskFigures } from './statement.js';
import { statisticsWindow, type StatisticsWindow } from './window.js';

export type DeskStatistics = StatisticsWindow & DeskFigures;
export { DEFAULT_WINDOW_DAYS, MAX_WINDOW_DAYS } from './window.js';

export async function deskStatistics(
  db: Queryable,
  viewer: Viewer | null,
  input: { from?: Date | null; to?: Date | null },
  now = new Date(),
): Promise<DeskStatistics> {
  requireRole(viewer, EDITORS);
  const window = statisticsWindow(input, now);
  return { ...window, ...(await queryDeskFigures(db, window, now)) };
}
