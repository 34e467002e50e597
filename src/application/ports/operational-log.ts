// What operators must see of the faults the service handles on its own — Microsoft refusing or failing, a
// calendar write retried, a webhook receiver failing, a notification dropped — each as one line with the
// ids that say whose it is. The adapter writes warn/error log lines; tests read them back.

/** Ids and facts of one line: always the workspace (or none for work that has none), then what applies. */
export interface OperationalFields {
  workspaceId?: string;
  memberId?: string;
  bookingId?: string;
  [field: string]: string | number | boolean | null | undefined;
}

export abstract class OperationalLog {
  /** Handled or retried, or someone must act soon (a member must reconnect). */
  abstract warn(event: string, message: string, fields?: OperationalFields): void;
  /** Given up, or stuck: something will not happen by itself. */
  abstract error(event: string, message: string, fields?: OperationalFields): void;
  /**
   * Runs `work` with `fields` on every line logged meanwhile, here and in the adapters it calls (a Graph
   * fault met while writing a booking's event carries the booking's id).
   */
  abstract within<T>(fields: OperationalFields, work: () => Promise<T>): Promise<T>;
}
