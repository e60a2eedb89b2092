package dev.spool.sample.shop;

import java.util.List;

/**
 * What a stocktake counted.
 *
 * @param unitsByZone units counted in each warehouse zone
 * @param totalUnits  their sum
 * @param publishedBy the auditor thread that published the report (the one the barrier gave index 0)
 */
public record StocktakeReport(List<Long> unitsByZone, long totalUnits, String publishedBy) {
}
