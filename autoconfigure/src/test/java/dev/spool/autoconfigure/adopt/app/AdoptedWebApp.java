package dev.spool.autoconfigure.adopt.app;

import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/** A web application on Tomcat whose one endpoint says which thread served it. */
@SpringBootApplication
public class AdoptedWebApp {

    /** The request thread, as the application sees it. */
    @RestController
    public static class Threads {

        /** @return {@code virtual:} or {@code platform:}, then the name of the thread that runs the request */
        @GetMapping("/thread")
        public String thread() {
            Thread current = Thread.currentThread();
            return (current.isVirtual() ? "virtual:" : "platform:") + current.getName();
        }
    }
}
