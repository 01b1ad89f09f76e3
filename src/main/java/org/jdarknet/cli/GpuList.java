package org.jdarknet.cli;

import java.util.ArrayList;
import java.util.List;

/** Darknet's {@code -gpus 0,1,2}: device numbers separated by commas, each once. */
record GpuList(String spelling, List<Integer> devices) {

    static GpuList parse(String text) {
        List<Integer> devices = new ArrayList<>();
        for (String part : text.split(",", -1)) {
            int device = deviceNumber(text, part.strip());
            if (devices.contains(device)) {
                throw new IllegalArgumentException("-gpus " + text + ": GPU " + device + " is named twice");
            }
            devices.add(device);
        }
        return new GpuList(text, List.copyOf(devices));
    }

    private static int deviceNumber(String text, String part) {
        if (!part.matches("\\d{1,9}")) {
            throw new IllegalArgumentException("-gpus " + text + ": expected GPU numbers separated by commas, such as"
                    + " -gpus 0,1; '" + part + "' is not one");
        }
        return Integer.parseInt(part);
    }
}
