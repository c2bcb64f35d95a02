import type { RowProblem } from './import-row.ts';

/** At most this many row errors are listed in a job's result; the rest are counted. */
export const MAX_LISTED_ERRORS = 1000;

export interface RowError {
  row: number;
  field: string | null;
  /** "row 18: amount: is not a number" */
  message: string;
}

/** What an import did, row by row: counts, and the errors addressed by file row number. */
export class ImportReport {
  valid = 0;
  inserted = 0;
  readonly errors: RowError[] = [];
  private readonly badRows = new Set<number>();
  private unlisted = 0;

  fail(row: number, problems: RowProblem[]): void {
    this.badRows.add(row);
    for (const p of problems) {
      if (this.errors.length < MAX_LISTED_ERRORS) this.errors.push({ row, field: p.field, message: `row ${row}: ${p.message}` });
      else this.unlisted++;
    }
  }

  get badRowCount(): number {
    return this.badRows.size;
  }

  toJSON() {
    return {
      inserted: this.inserted,
      valid: this.valid,
      skipped: this.badRows.size,
      errorCount: this.errors.length + this.unlisted,
      errors: this.errors,
      moreErrors: this.unlisted,
    };
  }
}
