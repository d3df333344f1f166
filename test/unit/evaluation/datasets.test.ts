/** The two public formats become Segment messages the pipeline accepts, with what evaluation needs. */
import { convertRees46, convertTaobao, splitCsvLine } from '../../../shared/evaluation/datasets';
import { readHistory } from '../../../shared/evaluation/history';
import { validateRecord } from '../../../shared/enrich/validate';
import { loadConfig } from '../../../shared/config';

const config = loadConfig();
const accepted = (line: string, nowMs: number) => validateRecord(Buffer.from(line), { config, nowMs }).ok;

describe('history formats', () => {
  it('converts Taobao rows, drops rows outside the dataset dates and the user cut off by the end of the file', () => {
    const text = [
      '1,100,7,pv,1511544070',
      '1,100,7,cart,1511544100',
      '1,100,7,buy,1511544200',
      '1,101,7,fav,1000000000',
      '2,200,8,pv,1511600000',
      '2,201,8,p',
    ].join('\n');
    const c = convertTaobao(text);
    expect(c.skipped).toEqual({ 'outside the dataset dates': 1, 'incomplete user (the file is cut in their history)': 2 });
    expect(c.lines.map((l) => JSON.parse(l).event)).toEqual(['Product Viewed', 'Product Added', 'Order Completed']);
    expect(JSON.parse(c.lines[0])).toEqual({
      type: 'track',
      event: 'Product Viewed',
      messageId: 'tb-1',
      userId: 'tb-1',
      timestamp: '2017-11-24T17:21:10.000Z',
      properties: { product_id: '100', category: '7' },
      context: { timezone: 'Asia/Shanghai', consent: { categoryPreferences: { personalization: true } } },
    });
    for (const line of c.lines) expect(accepted(line, Date.parse(JSON.parse(line).timestamp))).toBe(true);
  });

  it('converts REES46 rows with the category code, brand, price and session id', () => {
    const header = 'event_time,event_type,product_id,category_id,category_code,brand,price,user_id,user_session';
    const c = convertRees46([header, '2019-10-01 00:00:01 UTC,view,17200506,2053,furniture.sofa,,543.10,519107250,s-1', '2019-10-01 00:01:00 UTC,remove_from_cart,1,2,,"acme, inc",3,9,s-2', 'broken'].join('\n'));
    expect(c.skipped).toEqual({ 'malformed row': 1 });
    const [view, removed] = c.lines.map((l) => JSON.parse(l));
    expect(view).toMatchObject({ event: 'Product Viewed', userId: 'r46-519107250', timestamp: '2019-10-01T00:00:01.000Z', properties: { product_id: '17200506', category: 'furniture.sofa', price: 543.1, session_id: 's-1' } });
    expect(removed).toMatchObject({ event: 'Product Removed', properties: { category: '2', brand: 'acme, inc' } });
    expect(() => convertRees46('wrong,header')).toThrow('the first line must be the header');
    expect(splitCsvLine('a,"b ""c"", d",e')).toEqual(['a', 'b "c", d', 'e']);
  });

  it('reads history in time order with the session id at the path asked for', () => {
    const h = readHistory(
      [
        '{"type":"track","event":"B","messageId":"2","userId":"u","timestamp":"2020-01-01T00:02:00Z","properties":{"session_id":"s"}}',
        '{"type":"track","event":"A","messageId":"1","anonymousId":"a","timestamp":"2020-01-01T00:01:00Z"}',
        'not json',
        '{"type":"track","event":"C","messageId":"3","timestamp":"2020-01-01T00:00:00Z"}',
      ],
      { sessionIdPath: 'properties.session_id' },
    );
    expect(h.unreadable).toBe(2);
    expect(h.events.map((e) => [e.messageId, e.customerId, e.sessionId])).toEqual([
      ['1', 'a', undefined],
      ['2', 'u', 's'],
    ]);
  });
});
