export interface Operation {
  seq: number;
  name: string;
  workstation: string;
  setupMinutes: string;
  runMinutes: string;
}

export interface Routing {
  id: string;
  code: string;
  name: string;
  operations: Operation[];
}

/** A workstation's cost rates and calendar. */
export interface Workstation {
  id: string;
  code: string;
  name: string;
  workshop: string | null;
  hourlyCost: string;
  overheadRate: string;
  machines: number;
  /** ISO weekdays it works, 1 = Monday. */
  weekdays: number[];
  /** Capacity hours of one machine on a working day (the sum of its shifts). */
  hoursPerDay: string;
  /** YYYY-MM-DD → 'holiday' (closed) | 'workday' (调休: open although a weekend): the company calendar's days, the workstation's own over them. */
  exceptions: Map<string, 'holiday' | 'workday'>;
}
