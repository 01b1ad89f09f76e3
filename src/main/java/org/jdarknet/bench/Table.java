package org.jdarknet.bench;

import java.util.ArrayList;
import java.util.List;

/** A plain-text table with columns as wide as their widest cell: text left-aligned, numbers right. */
final class Table {
    private static final String GAP = "  ";
    private final List<Column> columns;
    private final List<List<String>> rows = new ArrayList<>();

    record Column(String header, boolean rightAligned) {
    }

    Table(Column... columns) {
        this.columns = List.of(columns);
    }

    static Column text(String header) {
        return new Column(header, false);
    }

    static Column number(String header) {
        return new Column(header, true);
    }

    void add(String... cells) {
        if (cells.length != columns.size()) {
            throw new IllegalArgumentException(cells.length + " cells for " + columns.size() + " columns");
        }
        rows.add(List.of(cells));
    }

    /** The header line, then one line per row. */
    List<String> lines() {
        List<List<String>> all = new ArrayList<>();
        all.add(columns.stream().map(Column::header).toList());
        all.addAll(rows);
        int[] widths = widths(all);
        return all.stream().map(row -> line(row, widths)).toList();
    }

    private int[] widths(List<List<String>> all) {
        int[] widths = new int[columns.size()];
        for (List<String> row : all) {
            for (int i = 0; i < widths.length; i++) {
                widths[i] = Math.max(widths[i], row.get(i).length());
            }
        }
        return widths;
    }

    private String line(List<String> row, int[] widths) {
        StringBuilder line = new StringBuilder();
        for (int i = 0; i < widths.length; i++) {
            String padding = " ".repeat(widths[i] - row.get(i).length());
            line.append(i == 0 ? "" : GAP);
            line.append(columns.get(i).rightAligned() ? padding + row.get(i) : row.get(i) + padding);
        }
        return line.toString().stripTrailing();
    }
}
