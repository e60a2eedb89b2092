package dev.spool.autoconfigure.metrics;

import dev.spool.autoconfigure.SpoolAutoConfiguration;
import dev.spool.autoconfigure.SpoolProperties;
import dev.spool.futures.TaskGroups;
import dev.spool.metrics.TaskGroupMetrics;
import dev.spool.metrics.TimerFeed;
import dev.spool.metrics.SpoolMetrics;
import dev.spool.metrics.TimerOptions;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * {@link EnableAutoConfiguration Auto-configuration} of Spool's Micrometer meters (docs/reference.md, "Meters"): every
 * Spool executor and primitive of the context is bound to the application's {@link MeterRegistry}, with the timers'
 * distribution statistics from {@code spool.metrics.percentiles} and {@code spool.metrics.percentile-histogram}, and
 * their histograms replayed every {@code spool.metrics.step}.
 *
 * <p>Switches on when Micrometer is on the class path and the context has a {@code MeterRegistry} bean, so it is
 * ordered after Boot's metrics auto-configurations that create registries (every export auto-configuration runs
 * before {@code CompositeMeterRegistryAutoConfiguration}, and the simple registry is the fallback); they are named
 * by string because spring-boot-micrometer-metrics is optional.
 *
 * <p>Beans:
 * <ul>
 *   <li>{@code spoolTimerFeed}: the {@link TimerFeed} that feeds every Spool timer of this context on
 *       one daemon thread; closed with the context (a last replay, then the thread ends);</li>
 *   <li>{@code spoolMetrics}: the {@link SpoolMetrics} with that replay and the configured timer options; inject it
 *       to measure an executor or primitive created at run time exactly as the configured ones:
 *       {@code spoolMetrics.bind(ThreadPool.builder().name("batch").build())};</li>
 *   <li>the {@link SpoolMeterBindingPostProcessor} that binds every Spool bean with it;</li>
 *   <li>{@code spoolTaskGroupMetrics}: the {@link TaskGroupMetrics} of {@link TaskGroups#global()}, a
 *       {@code MeterBinder} that Boot binds to the registry, so every {@code TaskGroup} of the application is measured
 *       per group name; closed with the context (it stops binding new names).</li>
 * </ul>
 * Each backs off if the application defines its own.
 */
@AutoConfiguration(after = SpoolAutoConfiguration.class, afterName = {
        "org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration",
        "org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration",
        "org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration"})
@ConditionalOnClass(name = "io.micrometer.core.instrument.MeterRegistry")
@ConditionalOnBean(MeterRegistry.class)
public final class SpoolMetricsAutoConfiguration {

    SpoolMetricsAutoConfiguration() {
    }

    /**
     * @param properties {@code spool.metrics.step}
     * @return the replay of this context's timers, closed with the context
     */
    @Bean(destroyMethod = "close")
    @ConditionalOnMissingBean
    TimerFeed spoolTimerFeed(SpoolProperties properties) {
        return new TimerFeed(properties.getMetrics().getStep());
    }

    /**
     * @param registry   the application's registry (the primary one when there are several)
     * @param replay     what feeds the timers
     * @param properties {@code spool.metrics.percentiles} and {@code percentile-histogram}
     * @return the binder of every Spool bean, for run-time objects too
     */
    @Bean
    @ConditionalOnMissingBean
    SpoolMetrics spoolMetrics(MeterRegistry registry, TimerFeed replay, SpoolProperties properties) {
        return new SpoolMetrics(registry, Tags.empty(), timerOptions(properties), replay);
    }

    /**
     * @param replay     what feeds the timers
     * @param properties {@code spool.metrics.percentiles} and {@code percentile-histogram}
     * @return the meters of every task-group name of {@link TaskGroups#global()}, bound by Boot as a MeterBinder
     */
    @Bean(destroyMethod = "close")
    @ConditionalOnMissingBean
    TaskGroupMetrics spoolTaskGroupMetrics(TimerFeed replay, SpoolProperties properties) {
        return new TaskGroupMetrics(TaskGroups.global(), Tags.empty(), timerOptions(properties), replay);
    }

    private static TimerOptions timerOptions(SpoolProperties properties) {
        SpoolProperties.Metrics metrics = properties.getMetrics();
        return new TimerOptions(metrics.getPercentiles(), metrics.isPercentileHistogram());
    }

    /**
     * Static, as every {@code BeanPostProcessor} factory method should be, so that registering it creates nothing
     * else; the {@link SpoolMetrics} bean is looked up at the first binding.
     *
     * @param metrics the binder
     * @return the post-processor that binds every Spool bean
     */
    @Bean
    static SpoolMeterBindingPostProcessor spoolMeterBindingPostProcessor(ObjectProvider<SpoolMetrics> metrics) {
        return new SpoolMeterBindingPostProcessor(metrics);
    }
}
