package dev.spool.autoconfigure.annotation;

import dev.spool.annotation.WithLock;
import dev.spool.annotation.WithPermit;
import dev.spool.autoconfigure.SpoolAutoConfiguration;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Role;

/**
 * {@link EnableAutoConfiguration Auto-configuration} of {@link WithLock} and {@link WithPermit}: the post-processor
 * that proxies the beans with annotated methods (see {@code HoldAdvisingPostProcessor}) and the check that stops
 * start-up when an annotation cannot work (see {@code HoldAnnotationCheck}). Nothing to switch on: an application
 * without the annotations gets no proxy.
 */
@AutoConfiguration(after = SpoolAutoConfiguration.class)
public final class SpoolAnnotationsAutoConfiguration {

    SpoolAnnotationsAutoConfiguration() {
    }

    /** @return the post-processor that applies {@code @WithLock} and {@code @WithPermit} */
    @Bean
    @Role(BeanDefinition.ROLE_INFRASTRUCTURE)
    static HoldAdvisingPostProcessor spoolHoldAnnotationProcessor() {
        return new HoldAdvisingPostProcessor();
    }

    /** @return the start-up check of every {@code @WithLock} and {@code @WithPermit} */
    @Bean
    @Role(BeanDefinition.ROLE_INFRASTRUCTURE)
    static HoldAnnotationCheck spoolHoldAnnotationCheck() {
        return new HoldAnnotationCheck();
    }
}
