package dev.spool.autoconfigure.annotation;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Flow;
import java.util.concurrent.locks.ReentrantLock;

import dev.spool.annotation.InvalidSpoolAnnotationException;
import dev.spool.annotation.WithLock;
import dev.spool.annotation.WithPermit;
import dev.spool.autoconfigure.SpoolAutoConfiguration;
import dev.spool.autoconfigure.shared.InMemoryBackend;
import dev.spool.threading.RLock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.beans.factory.support.DefaultListableBeanFactory;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.diagnostics.FailureAnalyzer;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.core.env.Environment;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.io.support.SpringFactoriesLoader;
import org.springframework.scheduling.annotation.Async;
import org.springframework.scheduling.config.TaskManagementConfigUtils;
import reactor.core.publisher.Mono;

/**
 * What start-up says about an annotation that cannot work: each mistake stops it as the bean is created, naming the
 * bean, the method, the annotation, what is wrong and what to write, with the names that exist.
 */
@Timeout(30)
class AnnotationsStartupCheckTests {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(SpoolAutoConfiguration.class,
                    SpoolAnnotationsAutoConfiguration.class))
            .withPropertyValues("spool.locks.inventory.reentrant=true", "spool.locks.ledger.fair=true",
                    "spool.semaphores.db.permits=3", "spool.semaphores.db.bounded=true",
                    "spool.semaphores.pool.permits=2");

    @Test
    void aNameThatIsNoBeanListsTheLocksThatExist() {
        FailureAnalysis analysis = failure(Misspelt.class);
        assertThat(analysis.getDescription())
                .startsWith("@WithLock or @WithPermit on bean 'misspelt' cannot work:")
                .contains("    @WithLock(\"inventry\") " + Misspelt.class.getName() + ".reserve(String): no lock is "
                        + "named 'inventry'");
        assertThat(analysis.getAction()).contains("    " + Misspelt.class.getName() + ".reserve(String): name one "
                + "of the locks (inventory, ledger), or add spool.locks.inventry to application.yml");
    }

    @Test
    void aSemaphoreUnderWithLockOrALockUnderWithPermitSaysWhichAnnotationToUse() {
        FailureAnalysis analysis = failure(WrongKinds.class);
        assertThat(analysis.getDescription())
                .contains("@WithLock(\"db\") " + WrongKinds.class.getName() + ".lockTheSemaphore(): 'db' is a "
                        + "semaphore, not a Spool lock")
                .contains("@WithPermit(\"inventory\") " + WrongKinds.class.getName() + ".permitOfTheLock(): "
                        + "'inventory' is a lock, not a Spool semaphore")
                .contains("'jdk' is a java.util.concurrent.locks.ReentrantLock, not a Spool lock");
        assertThat(analysis.getAction())
                .contains("lockTheSemaphore(): use @WithPermit(\"db\") to hold one of its permits, or name one of "
                        + "the locks (inventory, ledger)")
                .contains("permitOfTheLock(): use @WithLock(\"inventory\") to hold the lock, or name one of the "
                        + "semaphores (db, pool)")
                .contains("jdk(): name one of the locks (inventory, ledger): the annotation holds Spool's locks only");
    }

    @Test
    void waitsAndPermitsThatCannotWorkAreEachNamed() {
        FailureAnalysis analysis = failure(BadAttributes.class);
        String type = BadAttributes.class.getName();
        assertThat(analysis.getDescription())
                .contains("@WithLock(value = \"inventory\", timeout = \"2 seconds\") " + type + ".unreadable(): has a "
                        + "timeout that is not a duration: \"2 seconds\"")
                .contains(type + ".negative(): has a negative timeout (-1s)")
                .contains("@WithLock(value = \"inventory\", timeout = \"1s\", blocking = false) " + type
                        + ".both(): has blocking = false and a timeout")
                .contains("@WithPermit(value = \"db\", permits = 0) " + type + ".none(): asks for 0 permits")
                .contains(type + ".tooMany(): asks for 4 permits, and bounded semaphore 'db' has 3")
                .contains(type + ".unresolved(): the name \"${no.such.lock}\" has a placeholder that cannot be "
                        + "resolved")
                .contains(type + ".twoAnnotations(): has both @WithLock and @WithPermit");
        assertThat(analysis.getAction())
                .contains(type + ".unreadable(): write it as 500ms, 2s, 1m, PT2S or a number of milliseconds")
                .contains(type + ".tooMany(): ask for at most 3 permits, or raise spool.semaphores.db.permits");
        assertThat(analysis.getDescription().lines().filter(line -> line.startsWith("    @"))).as("one start-up")
                .hasSize(7);
    }

    @Test
    void methodsAProxyCannotHoldALockAroundAreRefused() {
        FailureAnalysis analysis = failure(Unproxyable.class);
        String type = Unproxyable.class.getName();
        assertThat(analysis.getDescription())
                .contains(type + ".hidden(): is private: Spring's proxy cannot intercept it, so the annotation "
                        + "would do nothing")
                .contains(type + ".sealedShut(): is final")
                .contains(type + ".later(): returns CompletableFuture without @Async: the lock would be given back "
                        + "when the method returns its future")
                .contains(type + ".mono(): returns Mono, which does its work after the method returns")
                .contains(type + ".flow(): returns Publisher");
        assertThat(analysis.getAction()).contains(type + ".later(): add @Async to the method (with @EnableAsync)");
    }

    @Test
    void severalPermitsOfASharedSemaphoreWithoutATimeLimitAreRefused() {
        FailureAnalysis analysis = failure(runner.withBean(InMemoryBackend.class, InMemoryBackend::new)
                .withPropertyValues("spool.semaphores.pool.backend=redis"), SharedPool.class);
        assertThat(analysis.getDescription()).contains(SharedPool.class.getName() + ".forever(): takes 2 permits of "
                + "'pool', shared on redis, without a time limit").doesNotContain(".within()");
        assertThat(analysis.getAction()).contains("give it a timeout (timeout = \"5s\") or blocking = false");
    }

    @Test
    void asyncInAspectJModeIsRefusedSinceItsAspectRunsInsideTheMethod() {
        FailureAnalysis analysis = failure(runner.withBean(TaskManagementConfigUtils.ASYNC_EXECUTION_ASPECT_BEAN_NAME,
                Object.class, Object::new), WovenAsync.class);
        assertThat(analysis.getDescription()).contains(WovenAsync.class.getName() + ".send(): is @Async with "
                + "@EnableAsync(mode = ASPECTJ)");
        assertThat(analysis.getAction()).contains("use @EnableAsync in its default proxy mode");
    }

    @Test
    void aPlaceholderIsResolvedAtStartUpAndTheAnnotationHoldsWhatItNames() {
        runner.withPropertyValues("app.lock=inventory", "app.wait=1s").withBean(Placeholders.class).run(context -> {
            assertThat(context).hasNotFailed();
            assertThat(context.getBean(Placeholders.class).owned()).isTrue();
            assertThat(context.getBean("inventory", RLock.class).locked()).isFalse();
        });
    }

    @Test
    void correctAnnotationsStartAndTheAnalyzerIsRegistered() {
        runner.withBean(Placeholders.class).withPropertyValues("app.lock=ledger", "app.wait=0s")
                .run(context -> assertThat(context).hasNotFailed());
        InvalidSpoolAnnotationException failure = new InvalidSpoolAnnotationException("b",
                List.of(new InvalidSpoolAnnotationException.Problem("C.m()", "@WithLock(\"x\")", "wrong", "fix")));
        assertThat(analysisOf(failure)).as("in spring.factories").isNotNull()
                .satisfies(analysis -> assertThat(analysis.getAction()).contains("    C.m(): fix"));
    }

    private FailureAnalysis failure(Class<?> fixture) {
        return failure(runner, fixture);
    }

    private static FailureAnalysis failure(ApplicationContextRunner runner, Class<?> fixture) {
        FailureAnalysis[] analysis = new FailureAnalysis[1];
        String name = Character.toLowerCase(fixture.getSimpleName().charAt(0)) + fixture.getSimpleName().substring(1);
        runner.withBean("jdk", ReentrantLock.class, ReentrantLock::new).withBean(name, fixture).run(context -> {
            assertThat(context).hasFailed();
            assertThat(context.getStartupFailure()).rootCause().isInstanceOf(InvalidSpoolAnnotationException.class);
            analysis[0] = analysisOf(context.getStartupFailure());
        });
        assertThat(analysis[0]).as("a failure analysis").isNotNull();
        return analysis[0];
    }

    /** What Boot would print: the first analysis of the analyzers registered in spring.factories. */
    private static FailureAnalysis analysisOf(Throwable failure) {
        SpringFactoriesLoader.ArgumentResolver arguments = SpringFactoriesLoader.ArgumentResolver
                .of(BeanFactory.class, new DefaultListableBeanFactory())
                .and(Environment.class, new StandardEnvironment());
        List<FailureAnalyzer> analyzers = SpringFactoriesLoader.forDefaultResourceLocation()
                .load(FailureAnalyzer.class, arguments, (type, name, cause) -> {
                    // as Boot: an analyzer whose classes are missing is left out
                });
        return analyzers.stream().filter(Objects::nonNull).map(analyzer -> analyzer.analyze(failure))
                .filter(Objects::nonNull).findFirst().orElse(null);
    }

    // ---------------------------------------------------------------------------------------------- fixtures

    static class Misspelt {
        @WithLock("inventry")
        public String reserve(String sku) {
            return sku;
        }
    }

    static class WrongKinds {
        @WithLock("db")
        public void lockTheSemaphore() {
        }

        @WithPermit("inventory")
        public void permitOfTheLock() {
        }

        @WithLock("jdk")
        public void jdk() {
        }
    }

    static class BadAttributes {
        @WithLock(value = "inventory", timeout = "2 seconds")
        public void unreadable() {
        }

        @WithLock(value = "inventory", timeout = "-1s")
        public void negative() {
        }

        @WithLock(value = "inventory", timeout = "1s", blocking = false)
        public void both() {
        }

        @WithPermit(value = "db", permits = 0)
        public void none() {
        }

        @WithPermit(value = "db", permits = 4, timeout = "1s")
        public void tooMany() {
        }

        @WithLock("${no.such.lock}")
        public void unresolved() {
        }

        @WithLock("inventory")
        @WithPermit("db")
        public void twoAnnotations() {
        }
    }

    static class Unproxyable {
        @WithLock("inventory")
        private void hidden() {
        }

        @WithLock("inventory")
        public final void sealedShut() {
        }

        @WithLock("inventory")
        public CompletableFuture<String> later() {
            return CompletableFuture.completedFuture("x");
        }

        @WithLock("inventory")
        public Mono<String> mono() {
            return Mono.just("x");
        }

        @WithLock("inventory")
        public Flow.Publisher<String> flow() {
            return subscriber -> { };
        }

        void useHidden() {
            hidden();
        }
    }

    static class SharedPool {
        @WithPermit(value = "pool", permits = 2)
        public void forever() {
        }

        @WithPermit(value = "pool", permits = 2, timeout = "1s")
        public void within() {
        }
    }

    static class WovenAsync {
        @Async
        @WithLock("inventory")
        public void send() {
        }
    }

    static class Placeholders {
        private final RLock inventory;

        Placeholders(@Qualifier("inventory") RLock inventory) {
            this.inventory = inventory;
        }

        @WithLock(value = "${app.lock}", timeout = "${app.wait}")
        public boolean owned() {
            return this.inventory.owned();
        }
    }
}
