package dev.spool.process;

import java.io.ObjectInputFilter;
import java.util.List;
import java.util.Objects;

/**
 * The {@link ObjectInputFilter} both sides of a pool deserialize with: the worker reads tasks through it, the
 * parent reads results and exceptions through it.
 *
 * <p>Tasks are the application's own classes, so the filter cannot be an allow-list by default. It is
 * <ul>
 *   <li>resource limits: {@code maxdepth=1000}, and {@code maxbytes}/{@code maxarray} at the frame cap;</li>
 *   <li>then the user's patterns (they come first, so they can allow a class the list below rejects, tighten the
 *       limits, or end with {@code !*} for an allow-list);</li>
 *   <li>then a reject list of classes used by publicized deserialization gadget chains ({@link #REJECTED});</li>
 *   <li>merged with the JVM-wide filter ({@code jdk.serialFilter}) when one is set: a class either rejects is
 *       rejected.</li>
 * </ul>
 * This is defence in depth: the channel itself is private (a socket in a 0700 directory, authenticated with a
 * token), so only a worker this pool started can send anything.
 */
final class SerialFilter {
    private SerialFilter() {
    }

    /** Classes and packages of known gadget chains (ysoserial and later), rejected unless a user pattern allows them. */
    public static final List<String> REJECTED = List.of(
            "org.apache.commons.collections.functors.*",
            "org.apache.commons.collections4.functors.*",
            "org.apache.commons.collections.keyvalue.TiedMapEntry",
            "org.apache.commons.collections4.keyvalue.TiedMapEntry",
            "org.apache.commons.beanutils.BeanComparator",
            "org.codehaus.groovy.runtime.ConvertedClosure",
            "org.codehaus.groovy.runtime.MethodClosure",
            "org.springframework.beans.factory.ObjectFactory",
            "org.springframework.beans.factory.support.AutowireUtils$ObjectFactoryDelegatingInvocationHandler",
            "org.springframework.core.SerializableTypeWrapper$MethodInvokeTypeProvider",
            "org.springframework.aop.framework.JdkDynamicAopProxy",
            "org.springframework.transaction.jta.JtaTransactionManager",
            "com.sun.org.apache.xalan.internal.xsltc.trax.TemplatesImpl",
            "org.apache.xalan.xsltc.trax.TemplatesImpl",
            "com.sun.org.apache.bcel.internal.util.ClassLoader",
            "org.apache.bcel.util.ClassLoader",
            "com.sun.rowset.JdbcRowSetImpl",
            "sun.reflect.annotation.AnnotationInvocationHandler",
            "javax.management.BadAttributeValueExpException",
            "java.rmi.server.UnicastRemoteObject",
            "java.rmi.server.RemoteObjectInvocationHandler",
            "sun.rmi.**",
            "com.sun.jndi.**",
            "com.mchange.v2.c3p0.**",
            "org.hibernate.property.**",
            "org.hibernate.tuple.component.**",
            "bsh.**",
            "clojure.**",
            "org.python.core.**",
            "org.mozilla.javascript.**",
            "com.vaadin.data.util.**",
            "net.sf.json.**",
            "org.apache.myfaces.**",
            "com.sun.syndication.feed.impl.**",
            "com.rometools.rome.feed.impl.**",
            "org.jboss.interceptor.**",
            "org.jboss.weld.interceptor.**",
            "org.apache.commons.fileupload.disk.DiskFileItem",
            "org.apache.wicket.util.upload.DiskFileItem",
            "org.aspectj.weaver.tools.cache.**",
            "com.fasterxml.jackson.databind.node.POJONode",
            "org.apache.click.control.**",
            "org.apache.xbean.naming.context.**",
            "org.apache.naming.factory.**");

    /**
     * @param maxBytes      the frame cap: the most bytes and the longest array one object may use
     * @param extraPatterns the user's patterns ({@code ;}-separated, JEP 290 syntax), may be empty
     * @return the filter's pattern string
     */
    public static String spec(int maxBytes, String extraPatterns) {
        Objects.requireNonNull(extraPatterns, "extraPatterns");
        StringBuilder spec = new StringBuilder(2048)
                .append("maxdepth=1000;maxbytes=").append(maxBytes).append(";maxarray=").append(maxBytes);
        String extra = extraPatterns.strip();
        if (!extra.isEmpty()) {
            spec.append(';').append(extra);
        }
        for (String pattern : REJECTED) {
            spec.append(";!").append(pattern);
        }
        return spec.toString();
    }

    /**
     * @param spec a pattern string from {@link #spec}
     * @return the filter, merged with the JVM-wide one if there is one
     * @throws IllegalArgumentException if a pattern is malformed
     */
    public static ObjectInputFilter create(String spec) {
        ObjectInputFilter filter = ObjectInputFilter.Config.createFilter(spec);
        ObjectInputFilter global = ObjectInputFilter.Config.getSerialFilter();
        return global == null ? filter : ObjectInputFilter.merge(filter, global);
    }
}
