package org.jdarknet.cli;

import java.io.PrintStream;
import java.util.List;
import java.util.Locale;
import org.jdarknet.Text;
import org.jdarknet.classify.Prediction;

/** Writes predictions to stdout in the chosen {@link OutputFormat}. */
final class PredictionPrinter {
    private final PrintStream out;
    private final OutputFormat format;
    private final boolean labelEachImage;
    private boolean headerWritten;

    PredictionPrinter(PrintStream out, OutputFormat format, boolean labelEachImage) {
        this.out = out;
        this.format = format;
        this.labelEachImage = labelEachImage;
    }

    void print(String image, List<Prediction> predictions, double seconds) {
        switch (format) {
            case text -> printText(image, predictions);
            case csv -> printCsv(image, predictions);
            case json -> printJson(image, predictions, seconds);
        }
        out.flush();
    }

    private void printText(String image, List<Prediction> predictions) {
        if (labelEachImage) {
            out.println(image + ":");
        }
        for (Prediction prediction : predictions) {
            out.println(CFormat.percentLine(prediction.probability(), prediction.label()));
        }
    }

    private void printCsv(String image, List<Prediction> predictions) {
        if (!headerWritten) {
            out.println("image,rank,index,label,probability");
            headerWritten = true;
        }
        int rank = 1;
        for (Prediction prediction : predictions) {
            out.println(String.join(",", Text.csvField(image), Integer.toString(rank++),
                    Integer.toString(prediction.index()), Text.csvField(prediction.label()),
                    Float.toString(prediction.probability())));
        }
    }

    private void printJson(String image, List<Prediction> predictions, double seconds) {
        StringBuilder json = new StringBuilder("{\"image\":").append(Text.jsonString(image))
                .append(",\"seconds\":").append(String.format(Locale.ROOT, "%.6f", seconds))
                .append(",\"predictions\":[");
        for (int i = 0; i < predictions.size(); i++) {
            Prediction prediction = predictions.get(i);
            json.append(i == 0 ? "" : ",")
                    .append("{\"rank\":").append(i + 1)
                    .append(",\"index\":").append(prediction.index())
                    .append(",\"label\":").append(Text.jsonString(prediction.label()))
                    .append(",\"probability\":").append(jsonNumber(prediction.probability())).append('}');
        }
        out.println(json.append("]}"));
    }

    /** JSON has no NaN or infinity, which broken weights can produce: those become null. */
    private static String jsonNumber(float value) {
        return Float.isFinite(value) ? Float.toString(value) : "null";
    }
}
