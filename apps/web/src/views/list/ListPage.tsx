import { lazy, Suspense, useCallback, useLayoutEffect, useMemo, useRef, useState } from 'react';
import { Alert, App, Button, Popconfirm } from 'antd';
import { DeleteOutlined, EditOutlined, FormOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { useParams, useSearchParams } from 'react-router';
import { useQueryClient } from '@tanstack/react-query';
import { isMoneyColumn, useObject } from '../../api/meta.ts';
import { recordListQuery, useDeleteRecords, useRecordList, type ListParams } from '../../api/records.ts';
import type { FilterNode, ObjectMeta, RecordData } from '../../api/types.ts';
import { EmptyState, ErrorState, PageSkeleton, TableSkeleton } from '../../components/States.tsx';
import { labelOf, useLang } from '../../i18n/index.ts';
import { buildFilter } from '../../lib/filter.ts';
import { useIsMobile } from '../../lib/useIsMobile.ts';
import { fieldPaths } from '../../fields/display-paths.ts';
import NotFoundPage from '../NotFoundPage.tsx';
import { loadColumns, saveColumns } from './ColumnChooser.tsx';
import { ListHeader, ListToolbar, NewRecordButton } from './ListChrome.tsx';
import { FilterBar } from './FilterBar.tsx';
import { RecordCards } from './RecordCards.tsx';
import { RecordTable } from './RecordTable.tsx';
import { paramsAfter, stateFrom, useListState, type ListState } from './useListState.ts';
import { openingPatch } from './list-opening.ts';
import { aggregateQuery, useAggregate, type SavedView, type ViewConfig } from '../../api/views.ts';

const RecordFormDrawer = lazy(() => import('../form/RecordFormDrawer.tsx'));
const ImportWizard = lazy(() => import('./import/ImportWizard.tsx'));
const BulkEditModal = lazy(() => import('./BulkEditModal.tsx'));
const KanbanBoard = lazy(() => import('./KanbanBoard.tsx'));
const CalendarView = lazy(() => import('./CalendarView.tsx'));

/** The list's filter: its conditions and quick search, ANDed with a report's drill-down. */
function filterOf(obj: ObjectMeta, s: ListState): FilterNode | null {
  const own = buildFilter(obj, s.conditions, s.quick);
  return s.drill ? (own ? { and: [s.drill, own] } : s.drill) : own;
}

/** The page of rows a state shows; the count comes apart (the aggregate). */
const listParamsOf = (s: ListState, filter: FilterNode | null, fields: string[]): ListParams =>
  ({ page: s.page, pageSize: s.pageSize, sort: s.sort, filter, fields, titles: true, total: false });

/** Patches that change which rows the table shows. */
const RELISTS: (keyof ListState)[] = ['page', 'pageSize', 'sort', 'quick', 'conditions', 'drill'];

/** /o/:object — the generic list of any object, built from its metadata. */
export default function ListPage() {
  const { object } = useParams();
  const { obj, objects, isPending } = useObject(object);
  if (isPending) return <PageSkeleton />;
  if (!obj || obj.isChild) return <NotFoundPage />;
  return <OpenedList key={obj.apiName} obj={obj} objects={objects} />;
}

/**
 * A list opened with no choice of its own in the address (no saved view, sort or filter) takes the object's
 * list defaults' sort and filter first — once per opening: a user who then clears the sort or removes the
 * default filter keeps what they chose. The list asks for its rows only after, so no request goes out for
 * the unsorted page.
 */
function OpenedList({ obj, objects }: { obj: ObjectMeta; objects: ObjectMeta[] }) {
  const [params, setParams] = useSearchParams();
  const [opening] = useState(() => openingPatch(obj, new URLSearchParams(window.location.search)));
  const [ready, setReady] = useState(opening === null);
  // The router applies the address in a transition: the list waits until its state holds the defaults.
  if (!ready && ['sort', 'f'].some((k) => params.has(k))) setReady(true);
  const setter = useRef(setParams); // react-router's setter changes with the address: this runs once
  useLayoutEffect(() => {
    if (opening) setter.current(() => paramsAfter(opening), { replace: true });
  }, [opening]);
  return ready ? <ObjectList obj={obj} objects={objects} /> : <PageSkeleton />;
}

function ObjectList({ obj, objects }: { obj: ObjectMeta; objects: ObjectMeta[] }) {
  const { t } = useTranslation();
  const lang = useLang();
  const { message, modal } = App.useApp();
  const mobile = useIsMobile();
  const [state, setState] = useListState();
  const [visible, setVisible] = useState(() => loadColumns(obj));
  const [selected, setSelected] = useState<RecordData[]>([]);
  const [importing, setImporting] = useState(false);
  const [bulkEditing, setBulkEditing] = useState(false);
  const name = labelOf(obj.label, lang);

  const filter = useMemo(() => filterOf(obj, state), [obj, state.conditions, state.quick, state.drill]);
  const fields = useMemo(() => {
    const shown = visible.map((n) => obj.fields.find((f) => f.apiName === n)!).filter(Boolean);
    return [...new Set([obj.titleField, 'version', ...fieldPaths(shown, objects)])];
  }, [visible, obj, objects]);
  // The page of rows and the count of all matches are two requests sent together: the rows show as soon as
  // they come (a count over 100,000 rows must not hold them back), and the count — with the money columns'
  // totals, one statement — is asked once per filter, not again for every page or sort of the same matches.
  const list = useRecordList(obj.apiName, listParamsOf(state, filter, fields), state.mode === 'table');
  const remove = useDeleteRecords(obj.apiName);
  const moneyCols = useMemo(() => visible.filter((n) => isMoneyColumn(obj.fields.find((f) => f.apiName === n))), [visible, obj]);
  const measures = useMemo(() => ['count', ...(mobile ? [] : moneyCols.map((n) => `sum:${n}@currency`))], [moneyCols, mobile]);
  const aggregate = useAggregate(obj.apiName, filter, measures, [], state.mode === 'table');
  const counted = aggregate.data?.data[0];
  // undefined while the count is on its way, or when it failed (the pager then pages on what the rows prove).
  const total = counted ? Number(counted.count ?? 0) : aggregate.isError ? null : undefined;
  const totals = useMemo(() => (counted ? Object.fromEntries(moneyCols.map((n) => [n, (counted[`sum:${n}@currency`] ?? {}) as Record<string, string>])) : undefined), [counted, moneyCols]);
  // The count and totals shown are those of the rows shown: while the previous rows stay on screen (the new
  // page is on its way), so do their count and totals. A count that answers before its rows then does not
  // re-render the table (memoised) with old rows in the middle of waiting for the new ones; rows and count
  // show in one render, or the rows first (bench/web-list: the filter and the quick search send both at once).
  const shown = useRef({ total, totals });
  if (!list.isPlaceholderData) shown.current = { total, totals };

  // A change of page, sort, filter or search asks for its rows (and count) here, in the click's handler,
  // then changes the address. Asked from the render, the request would wait for the router's navigation and
  // a render of the whole page with the old rows (~100 ms on a busy 2-core machine, bench/web-list); the
  // render's queries then find them under way in the query cache, by their keys (a fetch in flight is shared).
  const qc = useQueryClient();
  const update = useCallback((patch: Partial<ListState>) => {
    const next = stateFrom(paramsAfter(patch));
    if (next.mode === 'table' && RELISTS.some((k) => k in patch)) {
      const f = filterOf(obj, next);
      void qc.prefetchQuery(recordListQuery(obj.apiName, listParamsOf(next, f, fields)));
      // The count is asked once per filter (useAggregate does not ask again for the same one).
      if (JSON.stringify(f) !== JSON.stringify(filter)) void qc.prefetchQuery(aggregateQuery(obj.apiName, f, measures));
    }
    setState(patch);
  }, [qc, obj, fields, measures, filter, setState]);

  const current = useMemo<ViewConfig>(() => ({ conditions: state.conditions, quick: state.quick, sort: state.sort, columns: visible, pageSize: state.pageSize,
    mode: state.mode, groupBy: state.group ?? undefined, dateField: state.date ?? undefined }), [state, visible]);
  const applyView = useCallback((v: SavedView | null) => {
    const c = v?.config;
    const patch: Partial<ListState> = { view: v?.id ?? null, conditions: c?.conditions ?? [], quick: c?.quick ?? '', sort: c?.sort,
      pageSize: c?.pageSize ?? 20, mode: c?.mode ?? 'table', group: c?.groupBy ?? null, date: c?.dateField ?? null };
    update(patch);
    const cols = c?.columns?.filter((n) => obj.fields.some((f) => f.apiName === n && !f.archived));
    if (cols?.length) { setVisible(cols); saveColumns(obj.apiName, cols); }
    setSelected([]);
  }, [update, obj]);

  const removeAsync = remove.mutateAsync; // stable, unlike the mutation's result object
  const deleteRows = useCallback(async (rows: RecordData[]) => {
    const r = await removeAsync(rows.map((x) => ({ id: x.id, version: x.version })));
    if (r.failed) message.error(t('list.bulkDeleteFailed', { count: r.failed }));
    if (r.ok) message.success(rows.length > 1 ? t('list.bulkDeleted', { count: r.ok }) : t('common.deleted'));
    setSelected([]);
  }, [removeAsync, message, t]);

  // A row's delete asks through one confirm dialog, not a Popconfirm per row: each page turn would mount and
  // unmount twenty popup triggers (each with its resize observer and styles) for a button rarely pressed.
  // Plain buttons, not antd's: forty antd Buttons per page (each with its token, style and wave hooks) were a
  // good part of rendering a new page of rows (bench/web-list profile); layout.css gives them the link look.
  const actions = useCallback((r: RecordData) => (
    <span className="row-actions" onClick={(e) => e.stopPropagation()}>
      <button type="button" className="row-action" aria-label={t('common.edit')} title={t('common.edit')} onClick={() => update({ edit: r.id })}><EditOutlined /></button>
      <button type="button" className="row-action row-action-danger" aria-label={t('common.delete')} title={t('common.delete')} data-testid="row-delete"
        onClick={() => modal.confirm({ title: t('common.confirmDelete'), okButtonProps: { danger: true }, onOk: () => deleteRows([r]) })}><DeleteOutlined /></button>
    </span>
  ), [t, update, deleteRows, modal]);

  const filtered = state.conditions.length > 0 || state.quick !== '' || state.drill !== null;
  const empty = list.data && list.data.data.length === 0 && state.page === 1;
  const onNew = useCallback(() => update({ edit: 'new' }), [update]);
  const onImport = useCallback(() => setImporting(true), []);
  const onColumns = useCallback((v: string[]) => { setVisible(v); saveColumns(obj.apiName, v); }, [obj.apiName]);
  const onMode = useCallback((m: ListState['mode']) => update({ mode: m }), [update]);

  return (
    <div>
      <ListHeader obj={obj} title={labelOf(obj.pluralLabel ?? obj.label, lang)} name={name} filter={filter} sort={state.sort} visible={visible} mobile={mobile}
        onImport={onImport} onColumns={onColumns} onNew={onNew} />
      <div className="page-card">
        <ListToolbar obj={obj} mode={state.mode} view={state.view} current={current} onMode={onMode} onApplyView={applyView} />
        {state.drill && (
          <Alert type="info" showIcon style={{ marginBottom: 12 }} data-testid="drill-banner" message={t('drill.banner')}
            action={<Button size="small" onClick={() => update({ drill: null })} data-testid="drill-clear">{t('drill.clear')}</Button>} />
        )}
        <FilterBar obj={obj} conditions={state.conditions} quick={state.quick} onChange={update} />
        {selected.length > 0 && (
          <div className="bulk-bar" data-testid="bulk-bar">
            <span>{t('common.selected', { count: selected.length })}</span>
            <Popconfirm title={t('list.bulkDeleteConfirm', { count: selected.length })} onConfirm={() => deleteRows(selected)}>
              <Button danger size="small" icon={<DeleteOutlined />} loading={remove.isPending}>{t('list.bulkDelete')}</Button>
            </Popconfirm>
            <Button size="small" icon={<FormOutlined />} onClick={() => setBulkEditing(true)} data-testid="bulk-edit">{t('list.bulkEdit')}</Button>
            <Button size="small" type="link" onClick={() => setSelected([])}>{t('common.cancel')}</Button>
          </div>
        )}
        {state.mode === 'kanban' ? (
          <Suspense fallback={<TableSkeleton />}>
            <KanbanBoard obj={obj} objects={objects} filter={filter} sort={state.sort} visible={visible} groupBy={state.group} onGroupBy={(g) => update({ group: g })} />
          </Suspense>
        ) : state.mode === 'calendar' ? (
          <Suspense fallback={<TableSkeleton />}>
            <CalendarView obj={obj} filter={filter} dateField={state.date} month={state.month} onChange={(p) => update(p)} />
          </Suspense>
        ) : list.isError && !list.data ? (
          <ErrorState error={list.error} onRetry={() => void list.refetch()} />
        ) : !list.data ? (
          <TableSkeleton />
        ) : empty ? (
          filtered
            ? <EmptyState title={t('list.noMatch')} action={<Button onClick={() => update({ conditions: [], quick: '', drill: null })}>{t('list.clearFilters')}</Button>} />
            : <EmptyState title={t('list.empty', { object: name })} hint={t('list.emptyHint')} action={<NewRecordButton name={name} onNew={onNew} />} />
        ) : (
          // aria-busy while the rows on screen are not yet those asked for (set in the same render as the request,
          // unlike the spinner, which antd shows a tick later): assistive tech, tests and bench/web-list read it.
          <div data-testid="list-view" aria-busy={list.isFetching}>
            {mobile ? (
              <RecordCards obj={obj} objects={objects} reply={list.data} total={shown.current.total} loading={list.isFetching} state={state} visible={visible} onChange={update} />
            ) : (
              <RecordTable obj={obj} objects={objects} reply={list.data} total={shown.current.total} loading={list.isFetching} state={state} visible={visible}
                selected={selected} onSelect={setSelected} onChange={update} actions={actions} totals={shown.current.totals} />
            )}
          </div>
        )}
      </div>
      {bulkEditing && (
        <Suspense fallback={null}>
          <BulkEditModal obj={obj} objects={objects} rows={selected} onClose={(done) => { setBulkEditing(false); if (done) setSelected([]); }} />
        </Suspense>
      )}
      {importing && (
        <Suspense fallback={null}>
          <ImportWizard obj={obj} onClose={() => setImporting(false)} />
        </Suspense>
      )}
      {state.edit && (
        <Suspense fallback={null}>
          <RecordFormDrawer obj={obj} objects={objects} id={state.edit === 'new' ? undefined : state.edit} onClose={() => update({ edit: null })} />
        </Suspense>
      )}
    </div>
  );
}
