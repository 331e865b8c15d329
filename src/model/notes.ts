/** Something the model builder noticed, located in the raw document; the validator turns it into a finding. */
export interface ModelNote {
  rule: string;
  severity: 'error' | 'warning';
  path: (string | number)[];
  /** Point at the key at `path` rather than at its value. */
  atKey?: boolean;
  message: string;
  hint?: string;
}
