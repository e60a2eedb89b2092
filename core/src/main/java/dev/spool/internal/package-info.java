/**
 * Engine support shared by Spool's own packages. Not API: nothing here is for applications, and it may change in
 * any release.
 */
package dev.spool.internal;
