// Edgeway dashboard: polls the admin API (same origin) and draws what it finds. No library, no
// build step. Rates come from counter deltas between two polls; p99 from histogram bucket deltas
// (as Prometheus' histogram_quantile does). Endpoints that answer 404 (not in this version, or
// metrics disabled) are shown as "n/a" and asked again only every 30 s.
(function () {
  'use strict';

  const params = new URLSearchParams(location.search);
  const INTERVAL_MS = Math.max(250, Number(params.get('refresh')) || 2000);
  const ABSENT_RETRY_MS = 30000;
  const absentUntil = {};
  let previous = null; // { at, metrics }

  // ---- Prometheus text format --------------------------------------------------------------
  function parseLabels(text) {
    const labels = {};
    const re = /([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g;
    let m;
    while ((m = re.exec(text)) !== null) {
      labels[m[1]] = m[2].replace(/\\n/g, '\n').replace(/\\"/g, '"').replace(/\\\\/g, '\\');
    }
    return labels;
  }

  /** name -> [{ labels, value }] */
  function parsePrometheus(text) {
    const out = new Map();
    for (const line of text.split('\n')) {
      if (line === '' || line.charAt(0) === '#') continue;
      const brace = line.indexOf('{');
      const space = line.lastIndexOf(' ');
      let name;
      let labels = {};
      if (brace >= 0 && brace < space) {
        name = line.substring(0, brace);
        labels = parseLabels(line.substring(brace + 1, line.lastIndexOf('}')));
      } else {
        name = line.substring(0, space);
      }
      const value = parseFloat(line.substring(space + 1));
      if (!out.has(name)) out.set(name, []);
      out.get(name).push({ labels, value });
    }
    return out;
  }

  function sum(metrics, name, filter) {
    let total = 0;
    for (const s of metrics.get(name) || []) {
      if (!filter || filter(s.labels)) total += s.value;
    }
    return total;
  }

  function find(metrics, name, filter) {
    return (metrics.get(name) || []).find(s => filter(s.labels));
  }

  /** The change of a summed counter since the previous poll, per second; null on the first poll. */
  function rate(now, name, filter) {
    if (!previous) return null;
    const dt = (now.at - previous.at) / 1000;
    if (dt <= 0) return null;
    const delta = sum(now.metrics, name, filter) - sum(previous.metrics, name, filter);
    return Math.max(0, delta) / dt; // a restarted gateway resets counters: never a negative rate
  }

  function buckets(metrics, name, route) {
    return (metrics.get(name + '_bucket') || [])
      .filter(s => s.labels.route === route)
      .map(s => ({ le: s.labels.le === '+Inf' ? Infinity : parseFloat(s.labels.le), count: s.value }))
      .sort((a, b) => a.le - b.le);
  }

  /** The q-quantile of the observations between two cumulative bucket lists; null when none. */
  function quantile(q, current, before) {
    const counts = current.map((b, i) => ({
      le: b.le,
      count: b.count - (before && before[i] && before[i].le === b.le ? before[i].count : 0),
    }));
    if (counts.length === 0) return null;
    const total = counts[counts.length - 1].count;
    if (total <= 0) return null;
    const rank = q * total;
    let lower = 0;
    let below = 0;
    for (const b of counts) {
      if (b.count >= rank) {
        if (b.le === Infinity) return lower; // beyond the last bound: the best we can say
        const inBucket = b.count - below;
        return inBucket <= 0 ? b.le : lower + (b.le - lower) * ((rank - below) / inBucket);
      }
      lower = b.le;
      below = b.count;
    }
    return lower;
  }

  // ---- formatting --------------------------------------------------------------------------
  function fmtRate(v) { return v === null ? '–' : v < 10 ? v.toFixed(2) : v.toFixed(0); }
  function fmtPct(v) { return v === null || isNaN(v) ? '–' : (100 * v).toFixed(1) + ' %'; }
  function fmtSeconds(v) {
    if (v === null) return '–';
    if (v < 0.001) return (v * 1e6).toFixed(0) + ' µs';
    if (v < 1) return (v * 1e3).toFixed(1) + ' ms';
    return v.toFixed(2) + ' s';
  }
  function fmtBytes(v) {
    const units = ['B', 'KiB', 'MiB', 'GiB'];
    let i = 0;
    while (v >= 1024 && i < units.length - 1) { v /= 1024; i++; }
    return (i === 0 ? v.toFixed(0) : v.toFixed(1)) + ' ' + units[i];
  }
  function fmtCount(v) { return Number.isFinite(v) ? String(Math.round(v)) : '–'; }

  function cell(row, text, cls) {
    const td = document.createElement('td');
    td.textContent = text;
    if (cls) td.className = cls;
    row.appendChild(td);
    return td;
  }

  function setText(id, text, cls) {
    const el = document.getElementById(id);
    el.textContent = text;
    if (cls !== undefined) el.className = cls;
  }

  function keyValues(tableId, pairs) {
    const body = document.querySelector('#' + tableId + ' tbody');
    body.replaceChildren();
    for (const [k, v, cls] of pairs) {
      const tr = document.createElement('tr');
      const th = document.createElement('th');
      th.textContent = k;
      tr.appendChild(th);
      cell(tr, v === undefined || v === null ? '–' : String(v), cls);
      body.appendChild(tr);
    }
  }

  // ---- fetching ----------------------------------------------------------------------------
  /** Resolves to { status, body } or { status: 404 } for an absent endpoint; null when unreachable. */
  async function get(path, asText) {
    if (absentUntil[path] && Date.now() < absentUntil[path]) return { status: 404 };
    try {
      const headers = { Accept: asText ? 'text/plain' : 'application/json' };
      const token = sessionStorage.getItem('edgeway-admin-token');
      if (token) headers.Authorization = 'Bearer ' + token;
      const res = await fetch(path, { cache: 'no-store', headers });
      if (res.status === 401) {
        // The admin API has a token (admin.token): ask once per tab, keep it for this tab only.
        const entered = window.prompt('Admin API token');
        if (entered) sessionStorage.setItem('edgeway-admin-token', entered);
        return { status: 401 };
      }
      if (res.status === 404) {
        absentUntil[path] = Date.now() + ABSENT_RETRY_MS;
        return { status: 404 };
      }
      const body = asText ? await res.text() : await res.json().catch(() => null);
      return { status: res.status, body };
    } catch (e) {
      return null;
    }
  }

  // ---- drawing -----------------------------------------------------------------------------
  const BREAKER = { 0: ['closed', 'ok'], 1: ['open', 'bad'], 2: ['half-open', 'warn'] };

  function drawRoutes(routesDoc, now) {
    const body = document.querySelector('#routes tbody');
    body.replaceChildren();
    const routes = (routesDoc && routesDoc.routes) || [];
    const m = now ? now.metrics : new Map();
    for (const r of routes) {
      const id = r.id;
      const byRoute = l => l.route === id;
      const tr = document.createElement('tr');
      tr.dataset.route = id;
      cell(tr, id, 'route-id');
      cell(tr, (r.match && r.match.path) || '');
      cell(tr, now ? fmtCount(sum(m, 'edgeway_requests_total', byRoute)) : '–', 'num requests');
      const reqRate = now ? rate(now, 'edgeway_requests_total', byRoute) : null;
      cell(tr, fmtRate(reqRate), 'num rate');
      const errRate = now ? rate(now, 'edgeway_requests_total', l => byRoute(l) && l.status_class === '5xx') : null;
      const errShare = reqRate ? errRate / reqRate : null;
      cell(tr, fmtPct(errShare), 'num errors' + (errShare > 0.01 ? ' bad' : ''));
      const p99 = now ? quantile(0.99, buckets(m, 'edgeway_request_duration_seconds', id),
        previous ? buckets(previous.metrics, 'edgeway_request_duration_seconds', id) : null) : null;
      cell(tr, fmtSeconds(p99), 'num p99');
      const hits = sum(m, 'edgeway_cache_requests_total', l => byRoute(l) && l.result !== 'miss');
      const lookups = sum(m, 'edgeway_cache_requests_total', byRoute);
      cell(tr, lookups > 0 ? fmtPct(hits / lookups) : '–', 'num cache');
      const rejected = now && (m.get('edgeway_ratelimit_decisions_total') || []).some(s => byRoute(s.labels))
        ? rate(now, 'edgeway_ratelimit_decisions_total', l => byRoute(l) && l.decision === 'rejected') : null;
      cell(tr, fmtRate(rejected), 'num rejected');
      const breaker = find(m, 'edgeway_circuit_breaker_state', byRoute);
      const [label, cls] = breaker ? BREAKER[breaker.value] || ['?', ''] : ['–', ''];
      cell(tr, label, 'breaker ' + cls);
      body.appendChild(tr);
    }
  }

  function drawTargets(now) {
    const body = document.querySelector('#targets tbody');
    body.replaceChildren();
    if (!now) return;
    const m = now.metrics;
    for (const s of m.get('edgeway_upstream_target_healthy') || []) {
      const { route, target } = s.labels;
      const same = l => l.route === route && l.target === target;
      const ejected = find(m, 'edgeway_upstream_target_ejected', same);
      const tr = document.createElement('tr');
      tr.dataset.route = route;
      tr.dataset.target = target;
      cell(tr, route);
      cell(tr, target);
      const state = s.value === 1 ? ['healthy', 'ok'] : ejected && ejected.value === 1 ? ['ejected', 'bad'] : ['down', 'bad'];
      cell(tr, state[0], 'health ' + state[1]);
      cell(tr, fmtCount(sum(m, 'edgeway_upstream_connections', l => same(l) && l.state === 'in_use')), 'num');
      cell(tr, fmtCount(sum(m, 'edgeway_upstream_connections', l => same(l) && l.state === 'idle')), 'num');
      cell(tr, fmtCount(sum(m, 'edgeway_upstream_waiters', same)), 'num');
      cell(tr, fmtCount(sum(m, 'edgeway_upstream_connect_failures_total', same)), 'num');
      body.appendChild(tr);
    }
  }

  function drawTotals(now) {
    if (!now) {
      for (const id of ['total-rate', 'total-errors', 'total-requests', 'cache-hit', 'total-rejected']) setText(id, 'n/a');
      return;
    }
    const m = now.metrics;
    setText('total-rate', fmtRate(rate(now, 'edgeway_requests_total')));
    const all = rate(now, 'edgeway_requests_total');
    const errors = rate(now, 'edgeway_requests_total', l => l.status_class === '5xx');
    setText('total-errors', all ? fmtPct(errors / all) : '–', errors > 0 ? 'value bad' : 'value');
    setText('total-requests', fmtCount(sum(m, 'edgeway_requests_total')));
    const lookups = sum(m, 'edgeway_cache_requests_total');
    const hits = sum(m, 'edgeway_cache_requests_total', l => l.result !== 'miss');
    setText('cache-hit', lookups > 0 ? fmtPct(hits / lookups) : '–');
    setText('total-rejected', fmtRate(rate(now, 'edgeway_ratelimit_decisions_total', l => l.decision === 'rejected')));
  }

  function drawEvents(now, stats) {
    const m = now ? now.metrics : null;
    if (!m || !m.has('edgeway_events_total')) {
      setText('events-health', stats && stats.status === 200 ? 'on' : 'off', 'value');
      keyValues('events', [['state', stats && stats.status === 200 ? 'see /events/stats' : 'events not configured']]);
      return;
    }
    const stage = s => sum(m, 'edgeway_events_total', l => l.stage === s);
    const dropped = stage('dropped');
    const direct = sum(m, 'edgeway_events_direct') === 1;
    const mode = stats && stats.body && stats.body.mode ? stats.body.mode : direct ? 'direct' : 'journal';
    setText('events-health', dropped > 0 ? 'dropping' : mode === 'direct' || mode === 'journal-only' ? 'healthy' : 'journaling',
      dropped > 0 ? 'value bad' : mode === 'direct' || mode === 'journal-only' ? 'value ok' : 'value warn');
    keyValues('events', [
      ['mode', mode, mode === 'journal' ? 'warn' : ''],
      ['created/s', fmtRate(rate(now, 'edgeway_events_total', l => l.stage === 'created'))],
      ['created', fmtCount(stage('created'))],
      ['published', fmtCount(stage('published'))],
      ['journaled', fmtCount(stage('journaled'))],
      ['replayed', fmtCount(stage('replayed'))],
      ['dropped', fmtCount(dropped), dropped > 0 ? 'bad' : ''],
      ['queued', fmtCount(sum(m, 'edgeway_events_queued'))],
      ['journal', fmtBytes(sum(m, 'edgeway_events_journal_bytes'))],
    ]);
  }

  function drawConfig(routesDoc, configDoc, now) {
    const info = now ? find(now.metrics, 'edgeway_config_info', () => true) : null;
    const cfg = configDoc && configDoc.status === 200 && configDoc.body ? configDoc.body : null;
    // GET /config arrives with hot reload; its fields are read defensively until then.
    const running = cfg ? cfg.running || cfg.current || cfg : {};
    const version = running.version || running.hash || (info && info.labels.version) || null;
    const source = running.source || (routesDoc && routesDoc.source) || (info && info.labels.source) || '?';
    const loadedAt = running.loadedAt || (routesDoc && routesDoc.loadedAt) || '?';
    const last = cfg ? cfg.lastReload || cfg.lastAttempt || null : null;
    const lastErrors = last && Array.isArray(last.errors) ? last.errors : [];
    setText('config-source', source);
    setText('config-version', version ? '(' + String(version).substring(0, 12) + ')' : '');
    setText('config-loaded', loadedAt);
    const reloads = now ? now.metrics.get('edgeway_config_reloads_total') : null;
    const failures = reloads ? sum(now.metrics, 'edgeway_config_reloads_total', l => l.result === 'failure') : null;
    keyValues('config', [
      ['source', source],
      ['version', version || (cfg ? '–' : 'n/a')],
      ['loaded at', loadedAt],
      ['routes', routesDoc && routesDoc.routes ? routesDoc.routes.length : '–'],
      ['reloads', reloads ? fmtCount(sum(now.metrics, 'edgeway_config_reloads_total')) + ' (' + fmtCount(failures) + ' failed)' : 'n/a'],
      ['last reload', last ? (last.result || last.outcome || (lastErrors.length ? 'failure' : 'success')) + (last.at ? ' at ' + last.at : '') : 'n/a',
        lastErrors.length ? 'bad' : ''],
      ['last reload error', lastErrors.length ? lastErrors.join('\n') : '–', lastErrors.length ? 'bad' : ''],
    ]);
  }

  function drawProcess(now) {
    if (!now) { keyValues('process', [['metrics', 'n/a (metrics disabled?)']]); return; }
    const m = now.metrics;
    const heap = sum(m, 'jvm_memory_used_bytes', l => l.area === 'heap');
    const cpu = find(m, 'process_cpu_usage', () => true);
    const uptime = find(m, 'process_uptime_seconds', () => true);
    const threads = find(m, 'jvm_threads_live_threads', () => true);
    keyValues('process', [
      ['heap used', fmtBytes(heap)],
      ['cpu', cpu ? fmtPct(cpu.value) : '–'],
      ['threads', threads ? fmtCount(threads.value) : '–'],
      ['uptime', uptime ? fmtSeconds(uptime.value) : '–'],
    ]);
  }

  async function poll() {
    const [metrics, routes, ready, config, events] = await Promise.all([
      get('/metrics', true), get('/routes'), get('/ready'), get('/config'), get('/events/stats')]);
    const problems = [];
    let now = null;
    if (metrics && metrics.status === 200) {
      now = { at: Date.now(), metrics: parsePrometheus(metrics.body) };
    } else {
      problems.push(metrics === null ? 'admin API unreachable' : '/metrics: ' + (metrics.status === 404 ? 'metrics disabled' : metrics.status));
    }
    const routesDoc = routes && routes.status === 200 ? routes.body : null;
    const isReady = ready && ready.status === 200;
    setText('ready', ready === null ? 'unreachable' : isReady ? 'ready' : 'not ready', 'pill ' + (isReady ? 'ok' : 'bad'));
    drawTotals(now);
    drawRoutes(routesDoc, now);
    drawTargets(now);
    drawEvents(now, events);
    drawConfig(routesDoc, config, now);
    drawProcess(now);
    const box = document.getElementById('problems');
    box.textContent = problems.join(' · ');
    box.hidden = problems.length === 0;
    setText('updated', new Date().toLocaleTimeString());
    if (now) previous = now;
    document.body.dataset.polls = String(Number(document.body.dataset.polls || 0) + 1);
    setTimeout(poll, INTERVAL_MS);
  }

  setText('interval', (INTERVAL_MS / 1000) + ' s');
  poll();
})();
