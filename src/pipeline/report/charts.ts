/** The chart kit of the report: every chart is a pure function from numbers to an SVG string. */
export { scatterChartSvg, type ScatterOptions } from './scatter-chart';
export { histogramChartSvg, histogramCounts, type HistogramOptions } from './histogram-chart';
export { lineChartSvg, type LineChartOptions } from './line-chart';
export { barChartSvg, type Bar, type BarChartOptions } from './bar-chart';
export { htmlTable, type TableColumn } from './html-table';
export { niceTicks, logTicks } from './nice-ticks';
