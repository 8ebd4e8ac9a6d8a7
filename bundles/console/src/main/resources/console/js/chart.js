// A live chart of one subscription: RUNNING processes, requests in flight and CPU over the last minutes,
// with the autoscaler's decisions as marked vertical lines. It starts from the controller's own history
// (GET /subscriptions/{alias}/history, sampled every few seconds, an hour kept), then the console samples
// the current values at every refresh and keeps them per alias for this browser tab.
import uPlot from '../vendor/uplot/uPlot.esm.js';

export const WINDOW_SECONDS = 5 * 60;
/** The windows a page may show, in minutes: the controller keeps an hour. */
export const WINDOW_MINUTES = [5, 15, 60];
const COLORS = {processes: '#2563eb', inflight: '#ea580c', cpu: '#16a34a', up: '#7c3aed', down: '#db2777'};

export class History {
  constructor(alias, windowSeconds = WINDOW_SECONDS) {
    this.key = `stratos.console.history.${alias}`;
    this.window = windowSeconds;
    try {
      this.samples = JSON.parse(sessionStorage.getItem(this.key)) || [];
    } catch (e) {
      this.samples = [];
    }
  }

  /**
   * The controller's samples ({t: ms, running, inFlight, cpu}) before this tab's own: they fill what this tab did
   * not see (before it opened the page, or while it was elsewhere); this tab's samples after the last of them stay.
   */
  seed(serverSamples) {
    const server = serverSamples.map(s => ({t: s.t / 1000, processes: s.running, inflight: s.inFlight, cpu: s.cpu}));
    if (!server.length) return;
    const last = server[server.length - 1].t;
    const cutoff = Date.now() / 1000 - this.window;
    this.samples = [...server.filter(s => s.t >= cutoff), ...this.samples.filter(s => s.t > last)];
    this.seeded = server.length;
    this.save();
  }

  add(sample) {
    const cutoff = sample.t - this.window;
    this.samples = this.samples.filter(s => s.t >= cutoff && s.t < sample.t);
    this.samples.push(sample);
    this.save();
  }

  save() {
    try {
      sessionStorage.setItem(this.key, JSON.stringify(this.samples));
    } catch (e) {
      // storage full: the chart still works for this page
    }
  }

  data() {
    return [
      this.samples.map(s => s.t),
      this.samples.map(s => s.processes),
      this.samples.map(s => s.inflight),
      this.samples.map(s => s.cpu),
    ];
  }
}

export class LiveChart {
  constructor(container, windowSeconds = WINDOW_SECONDS) {
    this.container = container;
    this.window = windowSeconds;
    this.decisions = [];
    this.plot = null;
    this.resize = () => this.plot && this.plot.setSize(this.size());
    window.addEventListener('resize', this.resize);
  }

  size() {
    return {width: Math.max(320, this.container.clientWidth - 8), height: 280};
  }

  /** data: [times, processes, inflight, cpu]; decisions: the autoscaler's for this alias. */
  update(data, decisions) {
    this.decisions = decisions;
    // for the browser tests: what the chart draws, over how long
    this.container.dataset.points = String(data[0].length);
    this.container.dataset.window = String(this.window);
    const now = Date.now() / 1000;
    if (!this.plot) {
      this.plot = new uPlot(this.options(), data, this.container);
    } else {
      this.plot.setData(data, false);
    }
    // from the first sample or decision (at least a minute back), up to the whole window
    const times = [...(data[0].length ? [data[0][0]] : []), ...decisions.map(d => new Date(d.time).getTime() / 1000 - 5)];
    const first = Math.min(now - 60, ...times);
    this.plot.setScale('x', {min: Math.max(now - this.window, first), max: now});
  }

  destroy() {
    window.removeEventListener('resize', this.resize);
    if (this.plot) this.plot.destroy();
  }

  options() {
    const chart = this;
    return {
      ...this.size(),
      cursor: {drag: {x: false, y: false}},
      scales: {
        x: {time: true},
        n: {range: (u, lo, hi) => [0, Math.max(4, Math.ceil((hi || 0) * 1.2))]},
        cpu: {range: (u, lo, hi) => [0, Math.max(100, Math.ceil((hi || 0) * 1.1))]},
      },
      series: [
        {},
        {label: 'RUNNING processes', scale: 'n', stroke: COLORS.processes, width: 2, paths: uPlot.paths.stepped({align: 1}),
          value: (u, v) => v === null || v === undefined ? '' : v},
        {label: 'requests in flight', scale: 'n', stroke: COLORS.inflight, width: 1.5,
          value: (u, v) => v === null || v === undefined ? '' : v},
        {label: 'CPU % (mean per process)', scale: 'cpu', stroke: COLORS.cpu, width: 1.5, fill: 'rgba(22,163,74,0.08)',
          value: (u, v) => v === null || v === undefined ? '' : `${v.toFixed(1)} %`},
      ],
      axes: [
        {},
        {scale: 'n', label: 'processes · requests', size: 50},
        {scale: 'cpu', side: 1, label: 'CPU %', grid: {show: false}, size: 50},
      ],
      hooks: {draw: [u => chart.drawDecisions(u)]},
    };
  }

  /** A dashed line per decision in view, labelled "from→to". */
  drawDecisions(u) {
    const ctx = u.ctx;
    const {left, top, width, height} = u.bbox;
    const min = u.scales.x.min;
    const max = u.scales.x.max;
    ctx.save();
    ctx.font = `${Math.round(11 * devicePixelRatio)}px system-ui, sans-serif`;
    ctx.textBaseline = 'top';
    ctx.setLineDash([4 * devicePixelRatio, 3 * devicePixelRatio]);
    ctx.lineWidth = devicePixelRatio;
    for (const d of this.decisions) {
      const t = new Date(d.time).getTime() / 1000;
      if (!(t >= min && t <= max)) continue;
      const x = Math.round(u.valToPos(t, 'x', true));
      const color = d.to >= d.from ? COLORS.up : COLORS.down;
      ctx.strokeStyle = color;
      ctx.beginPath();
      ctx.moveTo(x, top);
      ctx.lineTo(x, top + height);
      ctx.stroke();
      ctx.fillStyle = color;
      const label = `${d.from}→${d.to}`;
      const textWidth = ctx.measureText(label).width;
      ctx.fillText(label, Math.min(x + 3 * devicePixelRatio, left + width - textWidth), top + 2 * devicePixelRatio);
    }
    ctx.restore();
  }
}
