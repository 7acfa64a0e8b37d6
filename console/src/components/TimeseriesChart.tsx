import { useEffect, useRef } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';

export interface Series {
  label: string;
  color: string;
  values: number[];
}

/** Redemptions and rejections per bucket (loaded on demand: uPlot stays out of the first download). */
export default function TimeseriesChart({
  times,
  series,
  timeZone,
  height = 260,
}: {
  times: number[];
  series: Series[];
  /** The campaign's zone: the axis reads its local hours and days. */
  timeZone: string;
  height?: number;
}) {
  const host = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (!host.current) return;
    const el = host.current;
    const plot = new uPlot(
      {
        width: el.clientWidth || 600,
        height,
        scales: { x: { time: true } },
        tzDate: (ts) => uPlot.tzDate(new Date(ts * 1000), timeZone),
        axes: [{}, { label: 'events' }],
        series: [{}, ...series.map((s) => ({ label: s.label, stroke: s.color, fill: s.color + '18', width: 2, points: { show: false } }))],
      },
      [times, ...series.map((s) => s.values)],
      el,
    );
    const resize = new ResizeObserver(() => plot.setSize({ width: el.clientWidth, height }));
    resize.observe(el);
    return () => {
      resize.disconnect();
      plot.destroy();
    };
  }, [JSON.stringify(times), JSON.stringify(series), timeZone, height]);
  return (
    <div ref={host} role="img" aria-label={`Chart: ${series.map((s) => `${s.label} ${s.values.reduce((a, b) => a + b, 0)}`).join(', ')}`} />
  );
}
