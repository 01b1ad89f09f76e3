package org.jdarknet.cfg;

/** One {@code key=value} line of a cfg section, with the line it came from. */
public record CfgOption(String key, String value, int line) {
}
