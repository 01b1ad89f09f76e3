package org.jdarknet.backend.cuda;

/**
 * Run in a child JVM that logs its class loading ({@link DriverAbsenceTest}): asks the quick
 * driver check, prints a marker line, then asks the full probe.
 */
public final class DriverAbsenceProbe {
    static final String MARKER = "driver check done";

    private DriverAbsenceProbe() {
    }

    public static void main(String[] args) {
        System.out.println("driver absence: " + CudaAvailability.driverAbsence().orElse("none"));
        System.out.println(MARKER);
        System.out.println("reason: " + CudaAvailability.unavailableReason().orElse("none"));
    }
}
