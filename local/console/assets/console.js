// The live console: polls /api/snapshot (the run's statistics, as the end-of-run report reads
// them) once a second and draws it. Plain DOM and SVG, no library, nothing from the network.
'use strict';

const $ = (sel) => document.querySelector(sel);
const sum = (o) => Object.values(o || {}).reduce((a, b) => a + b, 0);
const text = (el, value) => { if (el) el.textContent = String(value); };

function el(tag, attrs, children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) node.setAttribute(k, v);
  for (const c of children || []) node.append(c);
  return node;
}

function byList(target, counts) {
  const ul = document.querySelector(`[data-by="${target}"]`);
  if (!ul) return;
  const entries = Object.entries(counts || {}).filter(([, n]) => n > 0).sort((a, b) => b[1] - a[1]);
  ul.replaceChildren(...entries.map(([k, n]) => el('li', { 'data-reason': k }, [`${k} `, el('span', {}, [String(n)])])));
}

function bar(target, value, total) {
  const b = document.querySelector(`[data-bar="${target}"]`);
  if (b) b.style.width = `${total > 0 ? Math.round((100 * value) / total) : 0}%`;
}

function drawLatency(latency) {
  const svg = $('#latency');
  const W = 800, H = 220, L = 48, B = 24, T = 10, R = 10;
  const all = [...latency.moment, ...latency.notify];
  const maxT = Math.max(10, ...all.map((p) => p.t));
  const maxMs = Math.max(100, ...all.map((p) => p.p95));
  const x = (t) => L + ((W - L - R) * t) / maxT;
  const y = (ms) => H - B - ((H - B - T) * ms) / maxMs;
  const parts = [];
  for (let i = 0; i <= 4; i++) {
    const ms = (maxMs * i) / 4;
    parts.push(`<line class="axis" x1="${L}" x2="${W - R}" y1="${y(ms)}" y2="${y(ms)}"/><text x="4" y="${y(ms) + 4}">${Math.round(ms)} ms</text>`);
  }
  parts.push(`<text x="${W - R - 40}" y="${H - 6}">${Math.round(maxT)} s</text><text x="${L}" y="${H - 6}">0 s</text>`);
  const line = (points, key, cls) =>
    points.length > 0 ? `<polyline class="${cls}" points="${points.map((p) => `${x(p.t).toFixed(1)},${y(p[key]).toFixed(1)}`).join(' ')}"/>` : '';
  parts.push(line(latency.moment, 'p50', 'moment'), line(latency.moment, 'p95', 'moment p95'), line(latency.notify, 'p50', 'notify'), line(latency.notify, 'p95', 'notify p95'));
  svg.innerHTML = parts.join('');
}

function outcomeClass(outcome) {
  if (outcome.startsWith('not routed')) return 'unrouted';
  return outcome.includes('sent') ? 'sent' : 'suppressed';
}

function render(s) {
  const c = s.counts;
  const dropped = sum(c.enrich.droppedByPolicy);
  const state = $('#state');
  text(state, s.state);
  state.className = `state ${s.state}`;
  state.dataset.state = s.state;
  text($('#elapsed'), `${s.elapsedSeconds} s`);
  const addsUp = $('#addsup');
  text(addsUp, c.addsUp ? `adds up: ${c.put}${c.putByOthers ? ` + ${c.putByOthers} put by others` : ''} = ${c.enrich.enriched} + ${c.enrich.quarantined} + ${dropped} + ${c.enrich.onFailureRecords}` : 'in flight (does not add up yet)');
  addsUp.className = c.addsUp ? 'ok' : s.state === 'finished' ? 'no' : '';
  const hints = $('#hints');
  hints.hidden = s.hints.length === 0;
  text(hints, s.hints.join(' '));

  // What each channel's local stand-in took (webhook receiver, SNS and SES recorders), by channel.
  const deliveredBy = Object.fromEntries(Object.entries(c.delivered || {}).map(([channel, d]) => [channel, d.received]));
  const counts = {
    put: c.put,
    enriched: c.enrich.enriched,
    quarantined: c.enrich.quarantined,
    dropped,
    givenUp: c.enrich.onFailureRecords,
    moments: sum(c.momentsByIntent),
    sent: sum(c.notificationsSent),
    suppressed: sum(c.notificationsSuppressed),
    delivered: sum(deliveredBy),
    notRouted: s.notRouted,
  };
  for (const [k, v] of Object.entries(counts)) text(document.querySelector(`[data-count="${k}"]`), v);
  for (const k of ['enriched', 'quarantined', 'dropped']) bar(k, counts[k], c.put);
  byList('quarantined', c.quarantinedByCode);
  byList('dropped', c.enrich.droppedByPolicy);
  byList('moments', c.momentsByIntent);
  byList('sent', c.notificationsSent);
  byList('suppressed', c.notificationsSuppressed);
  byList('delivered', deliveredBy);
  text($('#lag'), `enrich ${s.lag.enrich.lagMs} ms · score ${s.lag.score.lagMs} ms`);

  const l = s.latencyMs;
  const p = (x) => (x.p50 === undefined ? '–' : `p50 ${x.p50} ms, p95 ${x.p95} ms, p99 ${x.p99} ms`);
  text($('#latency-summary'), `moment ${p(l.putToMoment)} · decision ${p(l.putToNotify)}`);
  drawLatency(s.latency);

  $('#moments').replaceChildren(
    ...s.moments.map((m) =>
      el('tr', { 'data-moment': m.momentId }, [
        el('td', { class: 'num' }, [m.detectedAt.slice(11, 19)]),
        el('td', {}, [m.intent + (m.lifeEventType ? ` (${m.lifeEventType})` : '')]),
        el('td', { class: 'num' }, [m.score.toFixed(2)]),
        el('td', {}, [m.customer]),
        el('td', {}, [m.trigger]),
        el('td', {}, [m.reasons]),
        el('td', { class: outcomeClass(m.outcome) }, [m.outcome]),
      ]),
    ),
  );
  $('#quarantine').replaceChildren(
    ...s.quarantine.map((q) =>
      el('tr', {}, [
        el('td', { class: 'num' }, [q.at.slice(11, 19)]),
        el('td', {}, [q.stage]),
        el('td', {}, [q.code]),
        el('td', {}, [q.reason]),
        el('td', {}, [`${q.shardId ? `${q.shardId} ` : ''}#${q.sequenceNumber.slice(-8)}`]),
      ]),
    ),
  );
  text($('#files'), s.files ? `files of this run: ${s.files.dir}` : '');
}

async function poll() {
  try {
    const res = await fetch('/api/snapshot', { cache: 'no-store' });
    if (res.ok) render(await res.json());
    else text($('#state'), `error ${res.status}`);
  } catch {
    text($('#state'), 'run ended (the console stops with npm start)');
    $('#state').className = 'state';
    $('#state').dataset.state = 'gone';
  }
  setTimeout(poll, 1000);
}

poll();
