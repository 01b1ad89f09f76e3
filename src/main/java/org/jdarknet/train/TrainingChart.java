package org.jdarknet.train;

import java.awt.BasicStroke;
import java.awt.Color;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import org.jdarknet.AtomicFile;
import org.jdarknet.Log;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.DatasetRenderingOrder;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/**
 * The loss curve (and validation accuracy, when there is some) of a training run, drawn to a PNG
 * with JFreeChart. The file is replaced atomically, so an image viewer never shows a half-written
 * chart.
 */
public final class TrainingChart {
    private static final int WIDTH = 1000;
    private static final int HEIGHT = 600;

    private final Path file;
    private final String title;
    private final XYSeries loss = new XYSeries("loss");
    private final XYSeries averageLoss = new XYSeries("average loss");
    private final XYSeries top1 = new XYSeries("validation top-1");
    private final XYSeries topK;
    private boolean failing;

    public TrainingChart(Path file, String title, int k) {
        this.file = file;
        this.title = title;
        this.topK = new XYSeries("validation top-" + k);
    }

    public void addLoss(long batch, float value, float average) {
        if (Float.isFinite(value)) {
            loss.add(batch, value, false);
            averageLoss.add(batch, average, false);
        }
    }

    public void addAccuracy(long batch, double top1Accuracy, double topKAccuracy) {
        top1.add(batch, top1Accuracy, false);
        topK.add(batch, topKAccuracy, false);
    }

    /** Draws the chart to its file, atomically; an {@link UncheckedIOException} says why it cannot. */
    public void save() {
        try {
            JFreeChart chart = chart();
            AtomicFile.write(file, out -> ChartUtils.writeChartAsPNG(out, chart, WIDTH, HEIGHT));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the chart " + file + ": " + AtomicFile.reason(e), e);
        }
    }

    /**
     * Draws the chart, or warns that it cannot (once, until it works again): a chart is not worth
     * stopping a training run and its checkpoints for.
     */
    public void saveOrWarn() {
        try {
            save();
            failing = false;
        } catch (UncheckedIOException e) {
            if (!failing) {
                Log.warn(e.getMessage() + "; training goes on");
            }
            failing = true;
        }
    }

    private JFreeChart chart() {
        XYPlot plot = new XYPlot();
        plot.setDomainAxis(new NumberAxis("batch"));
        plot.setRangeAxis(0, new NumberAxis("loss"));
        plot.setDataset(0, new XYSeriesCollection(loss));
        plot.setRenderer(0, line(new Color(120, 160, 220), 1f));
        plot.setDataset(1, new XYSeriesCollection(averageLoss));
        plot.setRenderer(1, line(new Color(20, 60, 160), 2.5f));
        plot.mapDatasetToRangeAxis(1, 0);
        if (top1.getItemCount() > 0) {
            NumberAxis accuracy = new NumberAxis("validation accuracy");
            accuracy.setRange(0, 1);
            plot.setRangeAxis(1, accuracy);
            XYSeriesCollection accuracies = new XYSeriesCollection(top1);
            accuracies.addSeries(topK);
            plot.setDataset(2, accuracies);
            XYLineAndShapeRenderer renderer = line(new Color(200, 80, 30), 2f);
            renderer.setSeriesPaint(1, new Color(230, 160, 60));
            renderer.setSeriesStroke(1, new BasicStroke(2f));
            renderer.setDefaultShapesVisible(true);
            plot.setRenderer(2, renderer);
            plot.mapDatasetToRangeAxis(2, 1);
        }
        // Later datasets on top: the average over the raw loss, accuracy over both.
        plot.setDatasetRenderingOrder(DatasetRenderingOrder.FORWARD);
        plot.setBackgroundPaint(Color.WHITE);
        plot.setDomainGridlinePaint(Color.LIGHT_GRAY);
        plot.setRangeGridlinePaint(Color.LIGHT_GRAY);
        return new JFreeChart(title, JFreeChart.DEFAULT_TITLE_FONT, plot, true);
    }

    private static XYLineAndShapeRenderer line(Color color, float width) {
        XYLineAndShapeRenderer renderer = new XYLineAndShapeRenderer(true, false);
        renderer.setSeriesPaint(0, color);
        renderer.setSeriesStroke(0, new BasicStroke(width));
        return renderer;
    }
}
