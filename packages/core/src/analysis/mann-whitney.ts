/**
 * The Mann-Whitney (Wilcoxon rank-sum) test with a confidence interval for the location shift, as Kayenta's
 * NetflixACAJudge uses it: the normal approximation with continuity correction, i.e. R's
 * `wilcox.test(x, y, conf.int = TRUE, conf.level, exact = FALSE, correct = TRUE)`. `x` is the canary, `y` the baseline.
 */
export interface MannWhitneyResult {
  /** The Hodges-Lehmann estimate of the shift of x against y. */
  estimate: number;
  lower: number;
  upper: number;
}

/** Average ranks (1-based) of the values, ties sharing the mean of their positions. */
export function ranks(values: readonly number[]): number[] {
  const order = values.map((v, i) => [v, i] as const).sort((a, b) => a[0] - b[0]);
  const out = new Array<number>(values.length);
  for (let i = 0; i < order.length; ) {
    let j = i;
    while (j + 1 < order.length && order[j + 1]![0] === order[i]![0]) j++;
    const rank = (i + j) / 2 + 1;
    for (let k = i; k <= j; k++) out[order[k]![1]] = rank;
    i = j + 1;
  }
  return out;
}

/** The standardized rank-sum statistic of x − mu against y, minus `q` (R's `wdiff`). */
export function shiftStatistic(x: readonly number[], y: readonly number[], mu: number, q: number): number {
  const nx = x.length;
  const ny = y.length;
  const combined = [...x.map((v) => v - mu), ...y];
  const r = ranks(combined);
  let rx = 0;
  for (let i = 0; i < nx; i++) rx += r[i]!;
  const dz = rx - (nx * (nx + 1)) / 2 - (nx * ny) / 2;
  const correction = Math.sign(dz) * 0.5;
  const counts = new Map<number, number>();
  for (const v of combined) counts.set(v, (counts.get(v) ?? 0) + 1);
  let ties = 0;
  for (const t of counts.values()) ties += t ** 3 - t;
  const n = nx + ny;
  const sigma = Math.sqrt(((nx * ny) / 12) * (n + 1 - ties / (n * (n - 1))));
  if (sigma === 0) throw new Error('cannot compute a confidence interval when all observations are tied');
  return (dz - correction) / sigma - q;
}

/** The upper quantile of the standard normal distribution (Acklam's rational approximation, refined by one Newton step). */
export function normalQuantile(p: number): number {
  if (p <= 0 || p >= 1) throw new Error('p must be in (0, 1)');
  const a = [-3.969683028665376e1, 2.209460984245205e2, -2.759285104469687e2, 1.38357751867269e2, -3.066479806614716e1, 2.506628277459239];
  const b = [-5.447609879822406e1, 1.615858368580409e2, -1.556989798598866e2, 6.680131188771972e1, -1.328068155288572e1];
  const c = [-7.784894002430293e-3, -3.223964580411365e-1, -2.400758277161838, -2.549732539343734, 4.374664141464968, 2.938163982698783];
  const d = [7.784695709041462e-3, 3.224671290700398e-1, 2.445134137142996, 3.754408661907416];
  const low = 0.02425;
  let z: number;
  if (p < low) {
    const q = Math.sqrt(-2 * Math.log(p));
    z = (((((c[0]! * q + c[1]!) * q + c[2]!) * q + c[3]!) * q + c[4]!) * q + c[5]!) / ((((d[0]! * q + d[1]!) * q + d[2]!) * q + d[3]!) * q + 1);
  } else if (p <= 1 - low) {
    const q = p - 0.5;
    const r = q * q;
    z = ((((((a[0]! * r + a[1]!) * r + a[2]!) * r + a[3]!) * r + a[4]!) * r + a[5]!) * q) / (((((b[0]! * r + b[1]!) * r + b[2]!) * r + b[3]!) * r + b[4]!) * r + 1);
  } else {
    const q = Math.sqrt(-2 * Math.log(1 - p));
    z = -(((((c[0]! * q + c[1]!) * q + c[2]!) * q + c[3]!) * q + c[4]!) * q + c[5]!) / ((((d[0]! * q + d[1]!) * q + d[2]!) * q + d[3]!) * q + 1);
  }
  // One Newton step on the error function brings it to double precision.
  const e = 0.5 * erfc(-z / Math.SQRT2) - p;
  const u = e * Math.sqrt(2 * Math.PI) * Math.exp((z * z) / 2);
  return z - u / (1 + (z * u) / 2);
}

/** The complementary error function: its Taylor series below 3 (exact to double precision there), a continued fraction above. */
function erfc(x: number): number {
  const z = Math.abs(x);
  let r: number;
  if (z < 3) {
    let term = z;
    let sum = z;
    for (let n = 1; n < 100 && Math.abs(term) > 1e-17 * Math.abs(sum); n++) {
      term *= (-z * z) / n;
      sum += term / (2 * n + 1);
    }
    r = 1 - (2 / Math.sqrt(Math.PI)) * sum;
  } else {
    // Lentz's continued fraction for erfc(z) = exp(-z²)/√π · 1/(z + 1/2/(z + 1/(z + 3/2/(z + …)))).
    let f = z;
    for (let n = 60; n >= 1; n--) f = z + n / 2 / f;
    r = Math.exp(-z * z) / Math.sqrt(Math.PI) / f;
  }
  return x >= 0 ? r : 2 - r;
}

/** Brent's method for a root of f in [a, b] where f(a) and f(b) differ in sign. */
function brent(f: (v: number) => number, a0: number, b0: number, fa0: number, fb0: number, tol = 1e-10): number {
  let [a, b, fa, fb] = [a0, b0, fa0, fb0];
  let c = a;
  let fc = fa;
  let d = b - a;
  let e = d;
  for (let i = 0; i < 200; i++) {
    if ((fb > 0 && fc > 0) || (fb < 0 && fc < 0)) {
      c = a;
      fc = fa;
      d = b - a;
      e = d;
    }
    if (Math.abs(fc) < Math.abs(fb)) {
      [a, b, c] = [b, c, b];
      [fa, fb, fc] = [fb, fc, fb];
    }
    const tol1 = 2 * Number.EPSILON * Math.abs(b) + 0.5 * tol;
    const m = 0.5 * (c - b);
    if (Math.abs(m) <= tol1 || fb === 0) return b;
    if (Math.abs(e) >= tol1 && Math.abs(fa) > Math.abs(fb)) {
      const s = fb / fa;
      let p: number;
      let q: number;
      if (a === c) {
        p = 2 * m * s;
        q = 1 - s;
      } else {
        const qq = fa / fc;
        const r = fb / fc;
        p = s * (2 * m * qq * (qq - r) - (b - a) * (r - 1));
        q = (qq - 1) * (r - 1) * (s - 1);
      }
      if (p > 0) q = -q;
      p = Math.abs(p);
      if (2 * p < Math.min(3 * m * q - Math.abs(tol1 * q), Math.abs(e * q))) {
        e = d;
        d = p / q;
      } else {
        d = m;
        e = d;
      }
    } else {
      d = m;
      e = d;
    }
    a = b;
    fa = fb;
    b += Math.abs(d) > tol1 ? d : m > 0 ? tol1 : -tol1;
    fb = f(b);
  }
  return b;
}

/** The test at a confidence level (Kayenta: 0.98). Both samples need at least one value; all values tied throws. */
export function mannWhitney(x: readonly number[], y: readonly number[], confidence = 0.98): MannWhitneyResult {
  if (x.length === 0 || y.length === 0) throw new Error('both samples need values');
  const min = (v: readonly number[]) => v.reduce((m, n) => Math.min(m, n), Infinity);
  const max = (v: readonly number[]) => v.reduce((m, n) => Math.max(m, n), -Infinity);
  const lo = min(x) - max(y);
  const hi = max(x) - min(y);
  const root = (q: number) => {
    const f = (mu: number) => shiftStatistic(x, y, mu, q);
    const fLo = f(lo);
    const fHi = f(hi);
    if (fLo <= 0) return lo;
    if (fHi >= 0) return hi;
    return brent(f, lo, hi, fLo, fHi);
  };
  const z = normalQuantile(1 - (1 - confidence) / 2);
  return { lower: root(z), upper: root(-z), estimate: root(0) };
}
