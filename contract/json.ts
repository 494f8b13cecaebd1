// Values as the language and the wire see them: JSON, and a record (a table's value).

export type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

/** A table's value: its fields by name. */
export type Record_ = { [field: string]: Json };
