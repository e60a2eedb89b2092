package dev.spool.autoconfigure;

import java.util.ArrayList;
import java.util.List;

import org.springframework.beans.factory.config.BeanFactoryPostProcessor;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;

/**
 * Checks, before any bean is created, that each application bean Spool backed off for is of the kind its
 * {@code spool.*} key describes. Without it a bean that merely shares the name (a {@code @Component} called
 * {@code inventory} beside {@code spool.locks.inventory}) silently takes the primitive's place, and start-up fails
 * later at an injection point with no word about Spool. Types the factory cannot tell without creating the bean are
 * given the benefit of the doubt.
 */
final class SpoolBackOffCheck implements BeanFactoryPostProcessor {

    /** A name Spool left to the application: the key that named it and the type that key stands for. */
    record BackOff(String name, String key, Class<?> expected) {
    }

    private final List<BackOff> backOffs;

    SpoolBackOffCheck(List<BackOff> backOffs) {
        this.backOffs = List.copyOf(backOffs);
    }

    @Override
    public void postProcessBeanFactory(ConfigurableListableBeanFactory beanFactory) {
        List<InvalidSpoolConfigurationException.Problem> problems = new ArrayList<>();
        for (BackOff backOff : backOffs) {
            Class<?> actual = beanFactory.getType(backOff.name(), false);
            if (actual != null && !backOff.expected().isAssignableFrom(actual)) {
                problems.add(new InvalidSpoolConfigurationException.Problem(backOff.key(),
                        "the application's bean '" + backOff.name() + "' is a " + actual.getName() + ", not a "
                                + backOff.expected().getName() + "; Spool leaves a name the application defines to"
                                + " the application, so nothing would provide what " + backOff.key() + " describes",
                        "rename " + backOff.key() + " or the application's bean '" + backOff.name() + "'"));
            }
        }
        if (!problems.isEmpty()) {
            throw new InvalidSpoolConfigurationException(problems);
        }
    }
}
