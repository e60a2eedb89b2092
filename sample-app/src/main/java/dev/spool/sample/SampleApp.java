package dev.spool.sample;

/** Placeholder until the engine lands. */
public final class SampleApp {
    public static void main(String[] args) {
        System.out.println("spool sample");
    }
}
