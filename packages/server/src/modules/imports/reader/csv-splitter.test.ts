import { describe, expect, it } from 'vitest';
import { countLineBreaks, createCsvSplitter } from './csv-splitter.ts';
import { TableReadError } from './table-reader.errors.ts';

function splitAll(chunks: string[], delimiter = ',', maxRecordChars = 1_000_000) {
  const splitter = createCsvSplitter({ delimiter, maxRecordChars });
  const records = chunks.flatMap((chunk) => splitter.push(chunk));
  return [...records, ...splitter.end()];
}

// Quotes with doubled quotes and line breaks of every kind, text after a closing
// quote, a quote inside an unquoted field, an empty line, a trailing delimiter,
// and a last record without a line break.
const TRICKY = 'id,note,x\r\n1,"a\r\nb",c\n"2""",\'x\',"y"z\n\n3,12" tv,"p\rq"\r4,"",\n5,"end"';

describe('createCsvSplitter', () => {
  it('gives each record its fields and the physical line it starts on', () => {
    expect(splitAll([TRICKY])).toEqual([
      { line: 1, fields: ['id', 'note', 'x'] },
      { line: 2, fields: ['1', 'a\r\nb', 'c'] },
      { line: 4, fields: ['2"', "'x'", 'yz'] },
      { line: 5, fields: [''] },
      { line: 6, fields: ['3', '12" tv', 'p\rq'] },
      { line: 8, fields: ['4', '', ''] },
      { line: 9, fields: ['5', 'end'] },
    ]);
  });

  it('gives the same records wherever the chunks are cut', () => {
    const whole = splitAll([TRICKY]);
    for (let cut = 0; cut <= TRICKY.length; cut++) {
      expect(splitAll([TRICKY.slice(0, cut), TRICKY.slice(cut)]), `cut at ${cut}`).toEqual(whole);
    }
    expect(splitAll([...TRICKY])).toEqual(whole);
  });

  it('splits on the delimiter it is given only', () => {
    expect(splitAll(['Rossi;10,50\n'], ';')).toEqual([{ line: 1, fields: ['Rossi', '10,50'] }]);
    expect(splitAll(['a\tb,c\n'], '\t')).toEqual([{ line: 1, fields: ['a', 'b,c'] }]);
  });

  it('reports a quote never closed with the line where its row starts', () => {
    const splitter = createCsvSplitter({ delimiter: ',', maxRecordChars: 1_000 });
    expect(splitter.push('a,b\n1,2\n3,"open\nmore\n')).toEqual([
      { line: 1, fields: ['a', 'b'] },
      { line: 2, fields: ['1', '2'] },
    ]);
    expect(() => splitter.end()).toThrow(expect.objectContaining({ code: 'ROW_MALFORMED', line: 3 }));
  });

  it('refuses a pending row longer than maxRecordChars instead of buffering the file', () => {
    const splitter = createCsvSplitter({ delimiter: ',', maxRecordChars: 100 });
    splitter.push('a,b\n1,"never closed');
    let error: unknown;
    try {
      for (let i = 0; i < 10; i++) splitter.push('x'.repeat(30));
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(TableReadError);
    expect(error).toMatchObject({ code: 'ROW_MALFORMED', line: 2 });
  });
});

describe('countLineBreaks', () => {
  it.each([
    ['', 0],
    ['abc', 0],
    ['a\nb', 1],
    ['a\r\nb', 1],
    ['a\rb', 1],
    ['a\r\n\r\nb\n', 3],
  ])('%j has %i line breaks', (text, count) => {
    expect(countLineBreaks(text)).toBe(count);
  });
});
