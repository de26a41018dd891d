package io.mpathgw.gateway.config;

import java.util.ArrayList;
import java.util.List;

/**
 * The built-in hardware table: per array, only what differs from the defaults, kept as multipath.conf text and read
 * by the same parser as a user's file. Rows are those of multipath-tools' hwtable.c (0.14.3, spec §7.9) for the
 * arrays mpathgw is likely to meet, plus the simulator's personalities and tgt.
 *
 * <p>Deliberate differences from multipath-tools' rows, each because mpathgw has no kernel under it:
 * <ul>
 *   <li>{@code hardware_handler} is set. On Linux no 0.14.3 row sets it: the kernel attaches scsi_dh_emc, _rdac,
 *       _hp_sw by its own vendor list and scsi_dh_alua by TPGS, and multipathd keeps that handler
 *       (retain_attached_hw_handler). Here nobody attaches one, so the row says what the kernel would have.</li>
 *   <li>NETAPP LUN uses prio {@code alua}: the {@code ontap} prioritizer (NetApp vendor commands) is not
 *       implemented; ONTAP LUNs report ALUA, and their ALUA states give the same grouping.</li>
 *   <li>Keywords we do not implement (fast_io_fail_tmo, dev_loss_tmo, max_sectors_kb, flush_on_last_del) are left
 *       out of the rows.</li>
 *   <li>no_path_retry counts checker intervals, as in multipath-tools; with our 1 s polling_interval the queueing
 *       time of a row is its number in seconds (a DGC row's 60 is 60 s here, 300 s with multipathd's 5 s).</li>
 * </ul>
 *
 * <p>Under the table, the compiled-in defaults differ from multipath-tools' on purpose (fail fast, queue boundedly;
 * the reasons are in {@link CompiledDefaults}): polling_interval 1 s (5), max_polling_interval 4 s (20),
 * checker_timeout 5 s (the SCSI device timeout, usually 30), no_path_retry 12 (undef), failback immediate for ALUA
 * devices (manual), find_multipaths off (strict), no built-in devnode blacklist.
 */
final class HwTable {

    /** The table in multipath.conf syntax; {@code show config} prints it back in the same form. */
    static final String TEXT = """
            devices {
            \t# mpathgw array simulator, personality alua (iscsi.sim Personality.ALUA)
            \tdevice {
            \t\tvendor "MPATHGW"
            \t\tproduct "SIM ALUA"
            \t\tpath_grouping_policy "group_by_prio"
            \t\tprio "alua"
            \t\tfailback "immediate"
            \t\thardware_handler "1 alua"
            \t}
            \t# mpathgw array simulator, personality active-active: every port serves the LU alike
            \tdevice {
            \t\tvendor "MPATHGW"
            \t\tproduct "SIM DISK"
            \t\tpath_grouping_policy "multibus"
            \t}
            \t# Debian tgt (and IET) report IET / VIRTUAL-DISK; no ALUA, every portal serves the LU alike
            \tdevice {
            \t\tvendor "IET"
            \t\tproduct "VIRTUAL-DISK"
            \t\tpath_grouping_policy "multibus"
            \t}
            \t# Linux LIO target
            \tdevice {
            \t\tvendor "(LIO-ORG|SUSE)"
            \t\tproduct ".*"
            \t\tpath_grouping_policy "group_by_prio"
            \t\tpath_checker "directio"
            \t\tprio "alua"
            \t\tfailback "immediate"
            \t\tno_path_retry 12
            \t\tdetect_checker "no"
            \t\thardware_handler "1 alua"
            \t}
            \t# SCST
            \tdevice {
            \t\tvendor "^SCST_"
            \t\tproduct ".*"
            \t\tpath_grouping_policy "group_by_prio"
            \t\tprio "alua"
            \t\tfailback "immediate"
            \t\tno_path_retry 12
            \t\thardware_handler "1 alua"
            \t}
            \t# EMC CLARiiON CX/AX, VNX, Unity in PNR mode (also the simulator's emc personality: DGC / RAID 5)
            \tdevice {
            \t\tvendor "^DGC"
            \t\tproduct "^(RAID|DISK|VRAID)"
            \t\tproduct_blacklist "LUNZ"
            \t\tpath_grouping_policy "group_by_prio"
            \t\tpath_checker "emc_clariion"
            \t\tprio "emc"
            \t\tfailback "immediate"
            \t\tno_path_retry 60
            \t\tdetect_checker "no"
            \t\thardware_handler "1 emc"
            \t}
            \t# EMC Symmetrix / VMAX
            \tdevice {
            \t\tvendor "EMC"
            \t\tproduct "SYMMETRIX"
            \t\tpath_grouping_policy "multibus"
            \t\tno_path_retry 6
            \t}
            \t# Dell EMC PowerStore
            \tdevice {
            \t\tvendor "DellEMC"
            \t\tproduct "PowerStore"
            \t\tpath_grouping_policy "group_by_prio"
            \t\tprio "alua"
            \t\tfailback "immediate"
            \t\tno_path_retry 3
            \t\thardware_handler "1 alua"
            \t}
            \t# Dell EqualLogic PS
            \tdevice {
            \t\tvendor "EQLOGIC"
            \t\tproduct "100E-00"
            \t\tpath_grouping_policy "multibus"
            \t\tno_path_retry 30
            \t}
            %s\
            \t# HP MSA1000/1500, EVA 3000/5000 old firmware: active/standby (also the simulator's hp_sw personality)
            \tdevice {
            \t\tvendor "(COMPAQ|HP)"
            \t\tproduct "(MSA|HSV)1[01]0"
            \t\tpath_grouping_policy "group_by_prio"
            \t\tpath_checker "hp_sw"
            \t\tprio "hp_sw"
            \t\tno_path_retry 12
            \t\thardware_handler "1 hp_sw"
            \t}
            \t# DEC / HP StorageWorks HSG80
            \tdevice {
            \t\tvendor "DEC"
            \t\tproduct "HSG80"
            \t\tpath_grouping_policy "group_by_prio"
            \t\tpath_checker "hp_sw"
            \t\tprio "hp_sw"
            \t\tno_path_retry "queue"
            \t\thardware_handler "1 hp_sw"
            \t}
            \t# HP MSA 1000/1500 active/active firmware
            \tdevice {
            \t\tvendor "(COMPAQ|HP)"
            \t\tproduct "MSA VOLUME"
            \t\tpath_grouping_policy "group_by_prio"
            \t\tprio "alua"
            \t\tfailback "immediate"
            \t\tno_path_retry 12
            \t\thardware_handler "1 alua"
            \t}
            \t# HPE MSA 1040/2040/1050/2050/1060/2060
            \tdevice {
            \t\tvendor "(HP|HPE)"
            \t\tproduct "MSA [12]0[4567]0 (SAN|SAS|FC|iSCSI)"
            \t\tpath_grouping_policy "group_by_prio"
            \t\tprio "alua"
            \t\tfailback "immediate"
            \t\tno_path_retry 18
            \t\thardware_handler "1 alua"
            \t}
            \t# HPE 3PAR, Primera, Alletra 9000
            \tdevice {
            \t\tvendor "3PARdata"
            \t\tproduct "VV"
            \t\tpath_grouping_policy "group_by_prio"
            \t\tprio "alua"
            \t\tfailback "immediate"
            \t\tno_path_retry 18
            \t\thardware_handler "1 alua"
            \t}
            \t# HPE Nimble, Alletra 5000/6000
            \tdevice {
            \t\tvendor "Nimble"
            \t\tproduct "Server"
            \t\tpath_grouping_policy "group_by_prio"
            \t\tprio "alua"
            \t\tfailback "immediate"
            \t\tno_path_retry "queue"
            \t\thardware_handler "1 alua"
            \t}
            \t# Pure Storage FlashArray
            \tdevice {
            \t\tvendor "PURE"
            \t\tproduct "FlashArray"
            \t\tpath_grouping_policy "group_by_prio"
            \t\tprio "alua"
            \t\tfailback "immediate"
            \t\tdetect_prio "no"
            \t\thardware_handler "1 alua"
            \t}
            \t# NetApp ONTAP (FAS, AFF, ASA)
            \tdevice {
            \t\tvendor "NETAPP"
            \t\tproduct "LUN"
            \t\tpath_grouping_policy "group_by_prio"
            \t\tfeatures "2 pg_init_retries 50"
            \t\tprio "alua"
            \t\tfailback "immediate"
            \t\tno_path_retry "queue"
            \t\tuser_friendly_names "no"
            \t\thardware_handler "1 alua"
            \t}
            \t# IBM DS8000
            \tdevice {
            \t\tvendor "IBM"
            \t\tproduct "^2107900"
            \t\tpath_grouping_policy "group_by_prio"
            \t\tfailback "immediate"
            \t\tno_path_retry "queue"
            \t}
            \t# IBM SVC, Storwize, FlashSystem
            \tdevice {
            \t\tvendor "IBM"
            \t\tproduct "^2145"
            \t\tpath_grouping_policy "group_by_prio"
            \t\tprio "alua"
            \t\tfailback "immediate"
            \t\tno_path_retry "queue"
            \t\thardware_handler "1 alua"
            \t}
            \t# IBM XIV
            \tdevice {
            \t\tvendor "(XIV|IBM)"
            \t\tproduct "(NEXTRA|2810XIV)"
            \t\tpath_grouping_policy "group_by_prio"
            \t\tfailback 15
            \t\tno_path_retry "queue"
            \t}
            \t# Apple Xserve RAID
            \tdevice {
            \t\tvendor "APPLE"
            \t\tproduct "Xserve RAID"
            \t\tpath_grouping_policy "multibus"
            \t}
            }
            """.formatted(rdacFamily());

    /**
     * The RDAC family (LSI/Engenio/NetApp E-Series and OEMs, also the simulator's rdac personality: LSI /
     * INF-01-00): one profile, many vendor/product pairs, as hwtable.c lists them.
     */
    private static String rdacFamily() {
        String[][] rows = {
                {"(NETAPP|LSI|ENGENIO)", "INF-01-00", "NetApp E/EF-Series, LSI/Engenio"},
                {"IBM", "^1722-600", "IBM DS4300"}, {"IBM", "^1724", "IBM DS4100"}, {"IBM", "^1726", "IBM DS3000"},
                {"IBM", "^1742", "IBM DS4400/4500"}, {"IBM", "^1746", "IBM DS3500/DCS3700"},
                {"IBM", "^1813", "IBM DS3524"}, {"IBM", "^1814", "IBM DS4700/4200"},
                {"IBM", "^1815", "IBM DS4800"}, {"IBM", "^1818", "IBM DS5000"},
                {"IBM", "^3526", "IBM FAStT200"}, {"IBM", "^(3542|3552)", "IBM FAStT500/700"},
                {"DELL", "^MD3", "Dell PowerVault MD3xxx"}, {"SGI", "TP9[3457]00", "SGI TP9300/9400/9500/9700"},
                {"SGI", "IS", "SGI InfiniteStorage"}, {"LENOVO", "DE_Series", "Lenovo DE Series"},
                {"FUJITSU", "ETERNUS_AHB", "Fujitsu ETERNUS AB/HB"}};
        StringBuilder b = new StringBuilder();
        for (String[] r : rows) {
            b.append("\t# ").append(r[2]).append(" (RDAC)\n\tdevice {\n")
                    .append("\t\tvendor \"").append(r[0]).append("\"\n")
                    .append("\t\tproduct \"").append(r[1]).append("\"\n")
                    .append("""
                            \t\tproduct_blacklist "Universal Xport"
                            \t\tpath_grouping_policy "group_by_prio"
                            \t\tpath_checker "rdac"
                            \t\tfeatures "2 pg_init_retries 50"
                            \t\tprio "rdac"
                            \t\tfailback "immediate"
                            \t\tno_path_retry 30
                            \t\thardware_handler "1 rdac"
                            \t}
                            """);
        }
        return b.toString();
    }

    private static final List<DeviceEntry> ENTRIES = load();

    private HwTable() {
    }

    /** The built-in rows, in table order (a later match wins, as in hwtable.c). */
    static List<DeviceEntry> entries() {
        return ENTRIES;
    }

    private static List<DeviceEntry> load() {
        try {
            MultipathConfReader r = new MultipathConfReader("(built-in hwtable)").read(TEXT);
            if (!r.warnings.isEmpty()) throw new IllegalStateException("built-in hwtable: " + r.warnings);
            List<DeviceEntry> out = new ArrayList<>();
            for (DeviceEntry e : r.devices) out.add(new DeviceEntry(e.settings(), true, e.line()));
            return List.copyOf(out);
        } catch (ConfException e) {
            throw new IllegalStateException("built-in hwtable does not parse: " + e.getMessage(), e);
        }
    }
}
