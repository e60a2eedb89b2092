package dev.spool.autoconfigure;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import dev.spool.futures.ManagedExecutor;
import dev.spool.threading.Barrier;
import dev.spool.threading.Condition;
import dev.spool.threading.Event;
import dev.spool.threading.Lock;
import dev.spool.threading.RLock;
import dev.spool.threading.Semaphore;
import org.jspecify.annotations.Nullable;

/**
 * The kinds of Spool bean, one entry each: the table that every part of the starter reads, so that a kind is declared
 * in one place. An entry says
 * <ul>
 *   <li>its configuration key ({@code spool.locks}) and the map of {@link SpoolProperties} it binds to;</li>
 *   <li>the type its beans have ({@link #type()}), the type an application's bean of the same name must have for
 *       Spool to back off for it, and the Spool classes that have meters and an endpoint view
 *       ({@link #spoolTypes()});</li>
 *   <li>how a bean is made from one name's properties, and the checks of those properties.</li>
 * </ul>
 * The registrar, the configuration check (names unique across kinds, each kind's own rules), bean lookup
 * ({@link SpoolBeans}), the meter binding and the {@code executors} and {@code primitives} endpoints all go through
 * this table. The meters of each Spool class are core's ({@code SpoolMetrics}); the endpoint's JSON view of each
 * primitive kind is chosen by an exhaustive {@code switch} over this enum in {@code PrimitivesEndpoint} (the actuator
 * is optional, so its types cannot appear here), which the compiler keeps complete.
 *
 * <p>Adding a kind: its map and spec class in {@link SpoolProperties} (which also gives its keys, their metadata and
 * the unknown-key check), one constant here with its factory (in {@code SpoolBeanFactories}) and, if it has rules of
 * its own, its check (in {@code SpoolConfigurationValidator}; range rules stay in the core constructor), and its case
 * in {@code PrimitivesEndpoint}; {@code SpoolKindTests} fails until each part knows it.
 */
public enum SpoolKind {

    /**
     * {@code spool.executors}: {@link ManagedExecutor} ({@code ThreadPool}, {@code ProcessPool} or
     * {@code ScheduledPool}).
     */
    EXECUTOR("executors", ManagedExecutor.class, java.util.concurrent.Executor.class, List.of(ManagedExecutor.class),
            SpoolProperties::getExecutors, SpoolBeanFactories::executor, SpoolConfigurationValidator::checkExecutor,
            false),
    /** {@code spool.locks}: {@link java.util.concurrent.locks.Lock} ({@code Lock} or {@code RLock}). */
    LOCK("locks", java.util.concurrent.locks.Lock.class, java.util.concurrent.locks.Lock.class,
            List.of(Lock.class, RLock.class), SpoolProperties::getLocks, SpoolBeanFactories::lock,
            SpecCheck.none(), true),
    /** {@code spool.semaphores}: {@link Semaphore} (or {@code BoundedSemaphore}). */
    SEMAPHORE("semaphores", Semaphore.class, Semaphore.class, List.of(Semaphore.class),
            SpoolProperties::getSemaphores, SpoolBeanFactories::semaphore, SpoolConfigurationValidator::checkSemaphore,
            true),
    /** {@code spool.events}: {@link Event}. */
    EVENT("events", Event.class, Event.class, List.of(Event.class), SpoolProperties::getEvents,
            SpoolBeanFactories::event, SpoolConfigurationValidator::checkEvent, true),
    /** {@code spool.barriers}: {@link Barrier}. */
    BARRIER("barriers", Barrier.class, Barrier.class, List.of(Barrier.class), SpoolProperties::getBarriers,
            SpoolBeanFactories::barrier, SpoolConfigurationValidator::checkBarrier, false),
    /** {@code spool.conditions}: {@link Condition}. */
    CONDITION("conditions", Condition.class, Condition.class, List.of(Condition.class),
            SpoolProperties::getConditions, SpoolBeanFactories::condition, SpoolConfigurationValidator::checkCondition,
            false);

    private final String key;
    private final Class<?> type;
    private final Class<?> applicationType;
    private final List<Class<?>> spoolTypes;
    private final Entry<?> entry;
    private final boolean shareable;

    <S> SpoolKind(String key, Class<?> type, Class<?> applicationType, List<Class<?>> spoolTypes,
                  Function<SpoolProperties, Map<String, S>> specs, Factory<S> factory, SpecCheck<S> check,
                  boolean shareable) {
        this.shareable = shareable;
        this.key = key;
        this.type = type;
        this.applicationType = applicationType;
        this.spoolTypes = spoolTypes;
        this.entry = new Entry<>(specs, factory, check);
    }

    /** @return the element of {@code spool.*} that configures this kind: {@code executors}, {@code locks}, ... */
    public String key() {
        return this.key;
    }

    /**
     * @param name a name of this kind
     * @return its configuration key, {@code spool.locks.inventory}
     */
    public String key(String name) {
        return "spool." + this.key + "." + name;
    }

    /**
     * @return whether a primitive of this kind may keep its state outside the JVM ({@code backend: redis}); the
     * starter checks the {@code backend} and {@code lease} keys of every kind by this flag
     */
    public boolean shareable() {
        return this.shareable;
    }

    /** @return the type every bean of this kind has */
    public Class<?> type() {
        return this.type;
    }

    /**
     * @return the Spool classes of this kind: what has meters and an endpoint view ({@code Lock} and {@code RLock}
     * for {@link #LOCK}, whose {@link #type()} a lock that is not Spool's also has)
     */
    public List<Class<?>> spoolTypes() {
        return this.spoolTypes;
    }

    /** @return whether {@code bean} is of one of this kind's {@link #spoolTypes() Spool classes} */
    public boolean isSpool(Object bean) {
        for (Class<?> spoolType : this.spoolTypes) {
            if (spoolType.isInstance(bean)) {
                return true;
            }
        }
        return false;
    }

    /** @return the kinds the {@code primitives} endpoint shows: every kind but {@link #EXECUTOR} */
    public static List<SpoolKind> primitives() {
        return Arrays.stream(values()).filter(kind -> kind != EXECUTOR).toList();
    }

    /**
     * @param bean any object
     * @return the kind whose Spool classes it is of, null when it is no Spool executor or primitive
     */
    public static @Nullable SpoolKind of(Object bean) {
        for (SpoolKind kind : values()) {
            if (kind.isSpool(bean)) {
                return kind;
            }
        }
        return null;
    }

    /** @return what an application's bean under a name of this kind must be, checked by {@link SpoolBackOffCheck} */
    Class<?> applicationType() {
        return this.applicationType;
    }

    /**
     * @param properties the bound configuration
     * @return the names this kind configures, in configuration order
     */
    List<String> names(SpoolProperties properties) {
        return List.copyOf(this.entry.specs().apply(properties).keySet());
    }

    /**
     * @param properties the bound, validated configuration
     * @param context    what the factories may need
     * @return name to the bean to register for it, in configuration order
     */
    Map<String, SpoolBeanFactories.Recipe> recipes(SpoolProperties properties, SpoolBeanFactories.Context context) {
        return this.entry.recipes(properties, context);
    }

    /**
     * Adds the problems of this kind's properties, each at its key.
     *
     * @param properties the bound configuration (a check may read other kinds, as a condition reads the locks)
     * @param problems   where problems go
     */
    void check(SpoolProperties properties, Problems problems) {
        this.entry.check(this, properties, problems);
    }

    /** Builds the bean of one name from its properties. */
    @FunctionalInterface
    interface Factory<S> {
        SpoolBeanFactories.Recipe recipe(String name, S spec, SpoolBeanFactories.Context context);
    }

    /** Checks the properties of one name. */
    @FunctionalInterface
    interface SpecCheck<S> {
        /**
         * @param key        the name's key, {@code spool.barriers.batch}
         * @param name       the name
         * @param spec       its properties
         * @param properties the whole configuration
         * @param problems   where problems go
         */
        void check(String key, String name, S spec, SpoolProperties properties, Problems problems);

        static <S> SpecCheck<S> none() {
            return (key, name, spec, properties, problems) -> {
            };
        }
    }

    /** Where checks report: a key, what is wrong with it, and what to do. */
    @FunctionalInterface
    interface Problems {
        void add(String key, String description, String action);
    }

    /** One kind's typed part: its specs, factory and check share the type of its properties. */
    private record Entry<S>(Function<SpoolProperties, Map<String, S>> specs, Factory<S> factory, SpecCheck<S> check) {

        Map<String, SpoolBeanFactories.Recipe> recipes(SpoolProperties properties,
                                                       SpoolBeanFactories.Context context) {
            Map<String, SpoolBeanFactories.Recipe> recipes = new LinkedHashMap<>();
            this.specs.apply(properties).forEach((name, spec) -> recipes.put(name,
                    this.factory.recipe(name, spec, context)));
            return recipes;
        }

        void check(SpoolKind kind, SpoolProperties properties, Problems problems) {
            this.specs.apply(properties).forEach((name, spec) -> {
                this.check.check(kind.key(name), name, spec, properties, problems);
                if (spec instanceof SpoolProperties.PrimitiveSpec primitive) {
                    SpoolConfigurationValidator.checkBackend(kind, kind.key(name), primitive, properties, problems);
                }
            });
        }
    }
}
