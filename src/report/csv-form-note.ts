/**
 * What a report page says about the form of its CSVs: exact, or spreadsheet-safe.
 */
/**
 * What the page says about the form of the CSVs: exact, or neutralised for spreadsheets. `command`
 * is the one to rerun (default `analyze`), `whose` says who chooses the texts (default user agents
 * and usernames, analyze's).
 */
export function csvFormNote(spreadsheetSafe: boolean, command = 'analyze', whose = 'User agents and usernames are chosen by anyone'): string {
  return spreadsheetSafe
    ? 'These CSV files are spreadsheet-safe (<code>--spreadsheet-safe</code>): a text starting with =, +, -, @, a tab or a ' +
        'carriage return is written with a leading \' so that no value opens as a formula; such values differ from the data by ' +
        `that character (${command === 'analyze' ? 'summary.json' : 'the warehouse'} and a run without the option have them exactly).`
    : `These CSV files are exact (RFC 4180), for pandas, DuckDB or R. ${whose}: a value ` +
        'starting with =, +, -, @, a tab or a carriage return may run as a formula if a CSV is opened in a spreadsheet. To open ' +
        `them in one, rerun <code>clickstream ${command}</code> with <code>--spreadsheet-safe</code>.`;
}
