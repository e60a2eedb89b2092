package dev.spool.autoconfigure.alerts;

import java.util.Arrays;
import java.util.Collection;
import java.util.Set;
import java.util.TreeSet;

import dev.spool.autoconfigure.SpoolAutoConfiguration;
import dev.spool.autoconfigure.SpoolBeans;
import dev.spool.autoconfigure.SpoolKind;
import dev.spool.autoconfigure.SpoolProperties;
import dev.spool.futures.ObservedExecutor;
import dev.spool.threading.AbstractLock;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * {@link EnableAutoConfiguration Auto-configuration} of Spool's threshold alerts ({@code spool.alerts.*}, see
 * {@link SpoolAlert}): the {@code spoolAlerts} lifecycle bean, which checks every live Spool executor and lock (the
 * configured ones and the application's own beans of Spool types, as {@link SpoolBeans#live} lists them) every
 * {@code spool.alerts.check-interval} and publishes a {@link SpoolAlertEvent} for each alert that fires, and, with
 * Micrometer on the class path and a {@code MeterRegistry} in the context, the {@code spool.alerts} counter. Off with
 * {@code spool.alerts.enabled=false}.
 */
@AutoConfiguration(after = SpoolAutoConfiguration.class)
@ConditionalOnBooleanProperty(name = "spool.alerts.enabled", matchIfMissing = true)
public final class SpoolAlertsAutoConfiguration {

    private static final Log logger = LogFactory.getLog("dev.spool.autoconfigure.alerts");

    SpoolAlertsAutoConfiguration() {
    }

    /**
     * @param beanFactory where the executors and locks are
     * @param properties  {@code spool.alerts.*}
     * @param publisher   where the events go: the context
     * @param meters      the counter, when there is a registry
     * @return the checks, started and stopped with the context
     */
    @Bean
    AlertSchedule spoolAlerts(ConfigurableListableBeanFactory beanFactory, SpoolProperties properties,
                              ApplicationEventPublisher publisher, ObjectProvider<AlertMeters> meters) {
        SpoolProperties.Alerts alerts = properties.getAlerts();
        SpoolBeans beans = SpoolBeans.of(beanFactory);
        AlertRules rules = AlertRules.of(alerts);
        AlertEvaluator evaluator = new AlertEvaluator(new AlertEvaluator.Sources() {
            @Override
            public Collection<ObservedExecutor> executors() {
                return beans.observedExecutors().values();
            }

            @Override
            public Collection<AbstractLock> locks() {
                return beans.live(SpoolKind.LOCK, AbstractLock.class).values();
            }
        }, rules, alerts.getSilence(), publisher, meters.getIfAvailable(() -> AlertMeters.NONE));
        return new AlertSchedule(evaluator, alerts.getCheckInterval(), new MonotonicClock(),
                () -> warnOfUnknownNames(beanFactory, beans, rules));
    }

    /**
     * An override under {@code names.<name>} that matches no executor or lock is most likely a misspelling; it is not
     * an error, since a bean of that name may be made later (a lazy one), but it is said once at start-up.
     */
    private static void warnOfUnknownNames(ConfigurableListableBeanFactory beanFactory, SpoolBeans beans,
                                           AlertRules rules) {
        rules.overriddenNames().forEach((alert, names) -> {
            SpoolKind kind = alert.kind();
            Set<String> known = new TreeSet<>(beans.names(kind));
            known.addAll(Arrays.asList(beanFactory.getBeanNamesForType(kind.type(), true, false)));
            beans.live(kind).values().forEach(bean -> known.add(nameOf(bean)));
            if (kind == SpoolKind.EXECUTOR) {
                known.addAll(beans.observedExecutors().keySet()); // adopted pools too
            }
            for (String name : names) {
                if (!known.contains(name)) {
                    logger.warn(alert.key() + ".names." + name + " names no " + kind.key().replaceAll("s$", "")
                            + " (known: " + String.join(", ", known) + "); it applies to none until a bean of that"
                            + " name exists: check the spelling");
                }
            }
        });
    }

    private static String nameOf(Object bean) {
        return bean instanceof ObservedExecutor executor ? executor.name()
                : bean instanceof AbstractLock lock ? lock.name() : String.valueOf(bean);
    }

    /** The {@code spool.alerts} counter, when Micrometer is on the class path. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = "io.micrometer.core.instrument.MeterRegistry")
    static class Meters {

        /**
         * @param registries the application's registry, looked up at the first count
         * @return the counter of published alerts
         */
        @Bean
        AlertMeters spoolAlertMeters(ObjectProvider<MeterRegistry> registries) {
            return new MicrometerAlertMeters(registries::getIfUnique);
        }
    }
}
