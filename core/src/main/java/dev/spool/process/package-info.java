/**
 * Internals of {@link dev.spool.futures.ProcessPool}: not an API, may change in any release.
 *
 * <ul>
 *   <li>{@link dev.spool.process.Supervisor}: the one manager thread that owns all of a pool's state, fed by an
 *       event queue (submit, result, worker ready, worker gone, shutdown, forced shutdown).</li>
 *   <li>{@link dev.spool.process.WorkerLink}: one thread per worker that accepts the worker's connection,
 *       authenticates it, reads its frames until end of stream, and reports the worker gone only after the
 *       process has exited.</li>
 *   <li>{@link dev.spool.process.WorkerMain}: the main class of a worker JVM.</li>
 *   <li>{@link dev.spool.process.Frames}, {@link dev.spool.process.FrameReader},
 *       {@link dev.spool.process.FrameWriter}: the length-prefixed wire format.</li>
 *   <li>{@link dev.spool.process.Codec}, {@link dev.spool.process.SerialFilter}: what travels in a frame, and the
 *       {@link java.io.ObjectInputFilter} that guards deserialization on both sides.</li>
 *   <li>{@link dev.spool.process.WorkerCommand}: how a worker JVM is launched (class path, Spring Boot jar,
 *       or a user's command).</li>
 * </ul>
 */
package dev.spool.process;
