package dev.spool.autoconfigure;

import java.util.List;

import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.beans.factory.support.BeanDefinitionRegistry;
import org.springframework.beans.factory.support.RootBeanDefinition;
import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.context.properties.bind.BindHandler;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.bind.PropertySourcesPlaceholdersResolver;
import org.springframework.boot.context.properties.bind.UnboundConfigurationPropertiesException;
import org.springframework.boot.context.properties.bind.handler.NoUnboundElementsBindHandler;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.core.env.Environment;

/**
 * The one binding of {@code spool.*}: the {@link SpoolProperties} that the registrar, the {@code @Async} support, the
 * meters, the endpoints and the health component all read, and the keys under {@code spool.*} that bound to nothing.
 *
 * <p>The binding has to happen while bean definitions are registered (the names decide which beans exist), before
 * Boot's binding of {@code @ConfigurationProperties} beans runs, so it is done here once and its result is
 * registered as the {@code SpoolProperties} bean (see {@link #register}). A value that
 * does not convert fails here, with its key and origin (file and line), as Boot's own binding would.
 *
 * @param properties  the bound configuration
 * @param unknownKeys the keys that bound to nothing, in key order
 */
record SpoolPropertiesBinding(SpoolProperties properties, List<UnknownSpoolKeys.Unknown> unknownKeys) {

    /** Name of the {@link SpoolProperties} bean: the one {@code @EnableConfigurationProperties} would give it. */
    static final String BEAN_NAME = "spool-" + SpoolProperties.class.getName();

    private static final String PREFIX = "spool";

    /**
     * @param environment the application's environment
     * @return the configuration and its unknown keys
     * @throws BindException when a value does not bind (a word where a number belongs, an unknown {@code type})
     */
    static SpoolPropertiesBinding bind(Environment environment) {
        Binder binder = new Binder(ConfigurationPropertySources.get(environment),
                new PropertySourcesPlaceholdersResolver(environment));
        SpoolProperties properties = new SpoolProperties();
        // Binding into an instance fills it before the handler's final check; so one pass gives both the values
        // and, when that check fails, the keys left over.
        BindHandler handler = new NoUnboundElementsBindHandler(BindHandler.DEFAULT, UnknownSpoolKeys::checked);
        try {
            binder.bind(PREFIX, Bindable.ofInstance(properties), handler);
            return new SpoolPropertiesBinding(properties, List.of());
        } catch (BindException ex) {
            if (!(ex.getCause() instanceof UnboundConfigurationPropertiesException unbound)) {
                throw ex;
            }
            return new SpoolPropertiesBinding(properties, UnknownSpoolKeys.of(unbound));
        }
    }

    /**
     * Registers {@link #properties()} as the {@code SpoolProperties} bean, unless the application registered one
     * itself (with {@code @EnableConfigurationProperties(SpoolProperties.class)}), which Boot binds as usual.
     *
     * <p>It is a bean definition whose instance is this binding's, so that {@code /actuator/configprops} lists it
     * as it lists every {@code @ConfigurationProperties} bean (it only looks at beans with a definition). Boot's
     * binding post-processor then applies the same environment to the same instance once more, which changes no
     * value: what Spool validated and built its beans from is what the bean holds.
     *
     * @param beanFactory where beans are defined
     */
    void register(ConfigurableListableBeanFactory beanFactory) {
        if (!beanFactory.containsBean(BEAN_NAME)) {
            RootBeanDefinition definition = new RootBeanDefinition(SpoolProperties.class, this::properties);
            ((BeanDefinitionRegistry) beanFactory).registerBeanDefinition(BEAN_NAME, definition);
        }
    }
}
