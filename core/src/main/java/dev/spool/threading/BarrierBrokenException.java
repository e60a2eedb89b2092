package dev.spool.threading;

/**
 * A {@link Barrier} is, or became, broken while a thread waited at it: Python's {@code BrokenBarrierError}.
 *
 * <p>Unchecked, like the other exceptions of Spool's primitives. A barrier breaks when {@link Barrier#abort()} or
 * {@link Barrier#reset()} is called while threads wait, when a wait times out, when a waiting thread is interrupted,
 * or when the barrier's action throws; it stays broken until {@link Barrier#reset()}.
 */
public class BarrierBrokenException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /**
     * @param message what broke the barrier, and which one
     */
    public BarrierBrokenException(String message) {
        super(message);
    }
}
