package org.jdarknet.train;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import org.jdarknet.classify.TopK;

/**
 * Accuracy over a set of classified images: top-1 and top-k as darknet counts them (the class is
 * the first label matching the path; {@code -1}, no match, is never correct), per class, and the
 * confusions between classes.
 */
public final class Evaluation {
    private final int classes;
    private final int k;
    private final long[][] confusion;
    private final long[] perClass;
    private final long[] correctPerClass;
    private long images;
    private long top1;
    private long topK;

    public Evaluation(int classes, int k) {
        this.classes = classes;
        this.k = k;
        this.confusion = new long[classes][classes];
        this.perClass = new long[classes];
        this.correctPerClass = new long[classes];
    }

    /** Counts one image of class {@code truth} (or -1) whose outputs are {@code predictions}; returns its top classes. */
    public int[] add(int truth, float[] predictions) {
        int[] top = TopK.of(predictions, k);
        images++;
        if (truth >= 0) {
            perClass[truth]++;
            confusion[truth][top[0]]++;
            if (top[0] == truth) {
                top1++;
                correctPerClass[truth]++;
            }
            for (int index : top) {
                if (index == truth) {
                    topK++;
                }
            }
        }
        return top;
    }

    public long images() {
        return images;
    }

    public int k() {
        return k;
    }

    public double top1() {
        return images == 0 ? 0 : (double) top1 / images;
    }

    public double topK() {
        return images == 0 ? 0 : (double) topK / images;
    }

    /** Per-class accuracy and the most frequent confusions, as lines for a report. */
    public List<String> summary(List<String> names, int confusionsShown) {
        List<String> lines = new ArrayList<>();
        lines.add(String.format(Locale.ROOT, "%d images: top-1 %.4f, top-%d %.4f", images, top1(), k, topK()));
        lines.add("per class (accuracy, images):");
        for (int c = 0; c < classes; c++) {
            if (perClass[c] > 0) {
                lines.add(String.format(Locale.ROOT, "  %-24s %.4f  %d", names.get(c),
                        (double) correctPerClass[c] / perClass[c], perClass[c]));
            }
        }
        List<int[]> pairs = new ArrayList<>();
        for (int truth = 0; truth < classes; truth++) {
            for (int predicted = 0; predicted < classes; predicted++) {
                if (truth != predicted && confusion[truth][predicted] > 0) {
                    pairs.add(new int[] {truth, predicted});
                }
            }
        }
        pairs.sort(Comparator.comparingLong((int[] p) -> -confusion[p[0]][p[1]]));
        if (!pairs.isEmpty()) {
            lines.add("most frequent confusions (true -> predicted: images):");
            for (int[] pair : pairs.subList(0, Math.min(confusionsShown, pairs.size()))) {
                lines.add(String.format(Locale.ROOT, "  %s -> %s: %d", names.get(pair[0]), names.get(pair[1]),
                        confusion[pair[0]][pair[1]]));
            }
        }
        return lines;
    }
}
