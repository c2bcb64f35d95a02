/**
 * Holt-Winters additive exponential smoothing (ETS(A,A,A)), pure and small:
 * smoothing parameters by grid search on the one-step-ahead squared error, a
 * 95 % prediction interval from the state-space variance, and a back-test MAPE
 * (fit on all but the last k points, forecast those k, compare).
 * Hyndman & Athanasopoulos, "Forecasting: Principles and Practice", §8.3 and §8.7.
 *
 * With fewer than two seasons of history it falls back to Holt's linear trend,
 * with fewer than three points to the last value.
 */
export interface ForecastPoint {
  value: number;
  lo: number;
  hi: number;
}

export interface ForecastResult {
  model: 'holt_winters_additive' | 'holt_linear' | 'naive';
  season: number;
  alpha: number;
  beta: number;
  gamma: number;
  /** Standard deviation of the one-step-ahead errors of the fit. */
  sigma: number;
  forecast: ForecastPoint[];
  /** Mean absolute percentage error of the back-test, in percent (null when it could not be run). */
  mape: number | null;
  holdout: number;
}

interface Params {
  alpha: number;
  beta: number;
  gamma: number;
}

interface Fit extends Params {
  sse: number;
  errors: number;
  level: number;
  trend: number;
  seasonal: number[];
}

const GRID = [0.01, 0.05, 0.1, 0.15, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 0.99];
const Z95 = 1.959964;

/** Forecast `horizon` periods of `series` with seasonal period `season` (12 for months, 4 quarters, 52 weeks, 7 days; 1 for none). */
export function forecastSeries(series: number[], horizon: number, season: number): ForecastResult {
  const fitted = fitBest(series, season);
  const holdout = Math.min(Math.max(horizon, 1), Math.floor(series.length / 3));
  let mape: number | null = null;
  if (holdout >= 1 && series.length - holdout >= 3) {
    const train = series.slice(0, series.length - holdout);
    const back = project(fitBest(train, season), holdout);
    mape = meanAbsolutePercentageError(series.slice(series.length - holdout), back.map((p) => p.value));
  }
  return {
    model: fitted.model, season: fitted.model === 'holt_winters_additive' ? season : 1,
    alpha: fitted.fit.alpha, beta: fitted.fit.beta, gamma: fitted.fit.gamma,
    sigma: sigmaOf(fitted.fit), forecast: project(fitted, horizon), mape, holdout,
  };
}

export function meanAbsolutePercentageError(actual: number[], predicted: number[]): number | null {
  const terms = actual.map((a, i) => (a === 0 ? null : Math.abs((a - predicted[i]) / a))).filter((x): x is number => x !== null);
  return terms.length ? (100 * terms.reduce((s, x) => s + x, 0)) / terms.length : null;
}

type Fitted = { model: ForecastResult['model']; fit: Fit; season: number };

function fitBest(y: number[], season: number): Fitted {
  if (y.length < 3) {
    const last = y.length ? y[y.length - 1] : 0;
    return { model: 'naive', season: 1, fit: { alpha: 1, beta: 0, gamma: 0, sse: 0, errors: 0, level: last, trend: 0, seasonal: [0] } };
  }
  const seasonal = season > 1 && y.length >= 2 * season;
  const m = seasonal ? season : 1;
  let best: Fit | null = null;
  for (const alpha of GRID) {
    for (const beta of GRID) {
      for (const gamma of seasonal ? GRID : [0]) {
        const fit = run(y, m, { alpha, beta, gamma });
        if (!best || fit.sse < best.sse) best = fit;
      }
    }
  }
  return { model: seasonal ? 'holt_winters_additive' : 'holt_linear', fit: best!, season: m };
}

/** One pass of the recursions from the classical start: level and trend from the first season(s), seasonals detrended. */
function run(y: number[], m: number, p: Params): Fit {
  let level: number;
  let trend: number;
  let seasonal: number[];
  if (m > 1) {
    const mean1 = avg(y.slice(0, m));
    trend = (avg(y.slice(m, 2 * m)) - mean1) / m;
    level = mean1 + (trend * (m - 1)) / 2;
    seasonal = y.slice(0, m).map((v, i) => v - (mean1 + trend * (i - (m - 1) / 2)));
  } else {
    level = y[0];
    trend = y[1] - y[0];
    seasonal = [0];
  }
  const start = m > 1 ? m : 1;
  let sse = 0;
  for (let t = start; t < y.length; t++) {
    const s = seasonal[t % m];
    const err = y[t] - (level + trend + s);
    sse += err * err;
    const prevLevel = level;
    level = p.alpha * (y[t] - s) + (1 - p.alpha) * (level + trend);
    trend = p.beta * (level - prevLevel) + (1 - p.beta) * trend;
    seasonal[t % m] = p.gamma * (y[t] - level) + (1 - p.gamma) * s;
  }
  return { ...p, sse, errors: y.length - start, level, trend, seasonal: rotate(seasonal, y.length % m) };
}

// After the loop, seasonal[(n + h - 1) % m] belongs to step h; rotate so index 0 is step 1.
function rotate(s: number[], by: number): number[] {
  return s.map((_, i) => s[(i + by) % s.length]);
}

function project(f: Fitted, horizon: number): ForecastPoint[] {
  const { fit } = f;
  const m = fit.seasonal.length;
  const sigma = sigmaOf(fit);
  const out: ForecastPoint[] = [];
  let cumulative = 0;
  for (let h = 1; h <= horizon; h++) {
    const value = fit.level + h * fit.trend + fit.seasonal[(h - 1) % m];
    // Var(h) = σ² (1 + Σ_{j<h} c_j²), c_j = α(1 + jβ) + γ·[j ≡ 0 mod m]
    if (h > 1) {
      const j = h - 1;
      const c = f.model === 'naive' ? 1 : fit.alpha * (1 + j * fit.beta) + (m > 1 && j % m === 0 ? fit.gamma : 0);
      cumulative += c * c;
    }
    const half = Z95 * sigma * Math.sqrt(1 + cumulative);
    out.push({ value, lo: value - half, hi: value + half });
  }
  return out;
}

function sigmaOf(fit: Fit): number {
  return fit.errors > 0 ? Math.sqrt(fit.sse / fit.errors) : 0;
}

const avg = (xs: number[]) => xs.reduce((s, x) => s + x, 0) / xs.length;
