// The CSV of API Gateway's API key file: comma-separated fields, each optionally quoted with double
// or single quotes (a doubled quote inside stands for one), one record per line.

/** The records of a CSV text, each a list of fields; blank lines are skipped. */
export function parseCsv(text: string): string[][] {
  const records: string[][] = [];
  let fields: string[] = [];
  let field = '';
  let quote: string | undefined;
  let quoted = false;
  const endField = () => {
    fields.push(quoted ? field : field.trim());
    field = '';
    quoted = false;
  };
  const endRecord = () => {
    endField();
    if (fields.length > 1 || fields[0] !== '') records.push(fields);
    fields = [];
  };
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quote) {
      if (c !== quote) field += c;
      else if (text[i + 1] === quote) {
        field += c;
        i++;
      } else quote = undefined;
    } else if ((c === '"' || c === "'") && field.trim() === '') {
      quote = c;
      quoted = true;
      field = '';
    } else if (c === ',') endField();
    else if (c === '\n') endRecord();
    else if (c !== '\r') field += c;
  }
  endRecord();
  return records;
}
