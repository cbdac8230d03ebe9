// The live page: one server-sent update every 500 ms (status + the chosen layer's heatmap), drawn
// on one canvas per chip. Plain script, no build step, nothing fetched from outside the emulator.
'use strict';

// The same colour stops as Pictures.java, so the page and the PNGs agree.
const RAMP = [[0, 0, 0.02], [0.25, 0.04, 0.45], [0.75, 0.15, 0.35], [0.98, 0.55, 0.1], [0.99, 1, 0.65]];
const NONE = '#404040';
const PANEL_PIXELS = 512; // a chip's panel aims at this many pixels on its long side

const params = new URLSearchParams(location.search);
let layer = params.get('layer') || '';
// ?updates=N: stop listening after N updates, leaving a still page (a snapshot; headless browsers wait for open streams)
const maxUpdates = +params.get('updates') || Infinity;
let updates = 0;
let source = null;

function colour(x) {
  const t = Math.max(0, Math.min(1, x)) * (RAMP.length - 1);
  const i = Math.min(RAMP.length - 2, Math.floor(t)), f = t - i;
  const c = RAMP[i].map((a, k) => Math.round(255 * (a + f * (RAMP[i + 1][k] - a))));
  return `rgb(${c[0]},${c[1]},${c[2]})`;
}

function si(x, unit) {
  const prefixes = [[1e12, 'T'], [1e9, 'G'], [1e6, 'M'], [1e3, 'k'], [1, ''], [1e-3, 'm'], [1e-6, 'u'], [1e-9, 'n'], [1e-12, 'p']];
  if (x === 0) return '0 ' + unit;
  for (const [scale, p] of prefixes) if (Math.abs(x) >= scale) return (x / scale).toFixed(scale === 1 && x % 1 === 0 ? 0 : 2) + ' ' + p + unit;
  return x.toExponential(2) + ' ' + unit;
}

function picoseconds(ps) {
  if (ps >= 1e12) return (ps / 1e12).toFixed(6) + ' s';
  if (ps >= 1e9) return (ps / 1e9).toFixed(3) + ' ms';
  if (ps >= 1e6) return (ps / 1e6).toFixed(3) + ' us';
  return (ps / 1e3).toFixed(3) + ' ns';
}

function showStatus(s) {
  document.getElementById('scenario').textContent = s.scenario;
  const state = document.getElementById('state');
  state.textContent = s.state;
  state.className = 'state ' + s.state;
  // what a headless browser test reads: the first and the latest simulated time this page saw
  const body = document.body.dataset;
  if (body.firstSimulatedPs === undefined) body.firstSimulatedPs = s.simulatedTimePs;
  body.simulatedPs = s.simulatedTimePs;
  body.updates = (+body.updates || 0) + 1;
  document.getElementById('simulated').textContent = picoseconds(s.simulatedTimePs);
  document.getElementById('windows').textContent = s.windows.toLocaleString('en');
  document.getElementById('events').textContent = s.events.toLocaleString('en');
  document.getElementById('rate').textContent = si(s.eventsPerSecond, '/s');
  document.getElementById('wall').textContent = s.wallSeconds.toFixed(1) + ' s';
  document.getElementById('noc').textContent = si(s.nocLinkBytes, 'B');
  document.getElementById('dram').textContent = si(s.dramBytes, 'B');
  document.getElementById('energy').textContent = s.energyJoules == null ? 'at the end' : si(s.energyJoules, 'J');
  document.getElementById('progress').textContent = s.progress == null ? 'length unknown' : (100 * s.progress).toFixed(1) + ' %';
  document.getElementById('eta').textContent = s.etaSeconds == null ? (s.progress == null ? 'unknown' : '-') : s.etaSeconds.toFixed(0) + ' s';
  showNodes(s.nodes);
}

// one row per node of a cluster (a run in one JVM has the single node "local", not worth a table)
function showNodes(nodes) {
  const table = document.getElementById('nodes');
  table.hidden = nodes.length < 2;
  if (table.hidden) return;
  const body = table.tBodies[0];
  body.replaceChildren(...nodes.map(n => {
    const row = document.createElement('tr');
    const utilisation = Object.entries(n.utilisation).map(([k, u]) => k + ' ' + (100 * u).toFixed(0) + '%').join(', ');
    for (const text of [n.node, n.partitions.join(' '), n.events.toLocaleString('en'), n.windows.toLocaleString('en'),
        n.barrierWaitSeconds.toFixed(1) + ' s', n.crossEventsSent.toLocaleString('en') + ' / ' + n.crossEventsReceived.toLocaleString('en'),
        si(n.crossBytesSent, 'B') + ' / ' + si(n.crossBytesReceived, 'B'), utilisation]) {
      const cell = document.createElement('td');
      cell.textContent = text;
      row.appendChild(cell);
    }
    return row;
  }));
}

function showLayers(layers, current) {
  const nav = document.getElementById('layers');
  if (nav.childElementCount !== layers.length) {
    nav.replaceChildren(...layers.map(l => {
      const b = document.createElement('button');
      b.textContent = l.title;
      b.dataset.layer = l.key;
      b.onclick = () => connect(l.key);
      return b;
    }));
  }
  for (const b of nav.children) b.classList.toggle('current', b.dataset.layer === current);
}

function showHeatmap(h) {
  document.getElementById('title').textContent = h.title + (h.fraction ? '' : ' (relative to the busiest node: ' + si(h.max, 'B') + ')');
  document.getElementById('legend-high').textContent = h.fraction ? '1' : si(h.max, 'B');
  const panels = document.getElementById('panels');
  if (panels.childElementCount !== h.panels.length) {
    panels.replaceChildren(...h.panels.map(p => {
      const figure = document.createElement('figure');
      figure.style.gridColumn = p.column + 1;
      figure.style.gridRow = p.row + 1;
      const canvas = document.createElement('canvas');
      const caption = document.createElement('figcaption');
      figure.append(canvas, caption);
      return figure;
    }));
  }
  h.panels.forEach((p, k) => {
    const figure = panels.children[k];
    const canvas = figure.querySelector('canvas');
    const size = Math.max(2, Math.floor(PANEL_PIXELS / Math.max(p.columns, p.rows)));
    if (canvas.width !== p.columns * size) { canvas.width = p.columns * size; canvas.height = p.rows * size; }
    canvas.dataset.columns = p.columns;
    canvas.dataset.rows = p.rows;
    canvas.dataset.cells = p.values.length;
    const g = canvas.getContext('2d');
    p.values.forEach((v, i) => {
      g.fillStyle = v < 0 ? NONE : colour(h.fraction ? v : h.max > 0 ? v / h.max : 0);
      g.fillRect((i % p.columns) * size, Math.floor(i / p.columns) * size, size, size);
    });
    figure.querySelector('figcaption').textContent = (h.panels.length > 1 ? 'chip ' + p.chip + ': ' : '')
      + p.columns + ' x ' + p.rows + ' cells' + (p.block > 1 ? ', each the maximum of ' + p.block + ' x ' + p.block + ' nodes' : '');
  });
}

function connect(key) {
  if (source) source.close();
  layer = key;
  source = new EventSource('api/events' + (key ? '?layer=' + encodeURIComponent(key) : ''));
  source.onmessage = e => {
    const u = JSON.parse(e.data);
    showStatus(u.status);
    showLayers(u.layers, u.heatmap.layer);
    showHeatmap(u.heatmap);
    if (++updates >= maxUpdates) source.close();
  };
}

(function drawRamp() {
  const c = document.getElementById('ramp'), g = c.getContext('2d');
  for (let x = 0; x < c.width; x++) { g.fillStyle = colour(x / (c.width - 1)); g.fillRect(x, 0, 1, c.height); }
})();
connect(layer);
