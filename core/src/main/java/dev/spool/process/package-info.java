/**
 * Internals of {@link dev.spool.futures.ProcessPool}: not an API, may change in any release. The package owns the
 * wire to the worker JVMs end to end; the pool is its only caller and speaks to it through three public types:
 *
 * <ul>
 *   <li>{@link dev.spool.process.ProcessEngine}: the one entry point. It encodes tasks (serialization, the
 *       frame limit, the check that workers can load every class), runs the manager, and reports in its own
 *       vocabulary (start reasons, exit causes, worker states, {@link dev.spool.process.ProcessEngine.Broken}),
 *       which the pool translates into its public types.</li>
 *   <li>{@link dev.spool.process.Job}: what the pool's futures implement, so that the engine can start, finish,
 *       break or cancel them.</li>
 *   <li>{@link dev.spool.process.WorkerMain}: the main class of a worker JVM, public because worker JVMs start
 *       it.</li>
 * </ul>
 *
 * Everything else is package-private:
 * <ul>
 *   <li>{@code Supervisor}: the one manager thread that owns all of a pool's state, fed by an event queue
 *       (submit, result, worker ready, worker gone, shutdown, forced shutdown).</li>
 *   <li>{@code WorkerLink}: one thread per worker that accepts the worker's connection, authenticates it, reads
 *       its frames until end of stream, and reports the worker gone only after the process has exited.</li>
 *   <li>{@code TaskEncoder}: tasks, map functions and chunks into TASK payloads, on the submitting thread.</li>
 *   <li>{@code Frames}, {@code FrameReader}, {@code FrameWriter}: the length-prefixed wire format.</li>
 *   <li>{@code Codec}, {@code SerialFilter}: what travels in a frame, and the {@link java.io.ObjectInputFilter}
 *       that guards deserialization on both sides.</li>
 *   <li>{@code WorkerCommand}, {@code WorkerClassPath}, {@code Bootstrap}: how a worker JVM is launched (class
 *       path, Spring Boot jar, or a user's command), what it can load, and what it is told on its standard
 *       input.</li>
 * </ul>
 *
 * <p>The package depends on {@code dev.spool.futures} for one type only, {@link dev.spool.futures.RemoteTaskException}:
 * it is part of the wire (a worker serializes it to describe an exception that cannot travel as itself, the parent
 * deserializes it by class name, so both sides need that very class), and it depends on nothing of Spool's, so
 * there is no cycle between classes. {@code PackageBoundaryTest} keeps it so.
 */
package dev.spool.process;
