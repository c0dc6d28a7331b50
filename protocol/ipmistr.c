/*
 * ipmistr.c - IPMI codes to text (units, sensor types, event offsets,
 * type/length strings, numbers, UTC calendar), matching ipmitool 1.8.19's
 * wording.  Only const tables; no allocation, no clock, no locale.
 */
#include <stdio.h>
#include <string.h>

#include "ipmierr.h"
#include "ipmistr.h"

/* IPMI v2.0 table 43-15, sensor unit type codes, ipmitool's names. */
static const char *const unit_names[IPMISTR_UNIT_MAX + 1] = {
	"unspecified",
	"degrees C",
	"degrees F",
	"degrees K",
	"Volts",
	"Amps",
	"Watts",
	"Joules",
	"Coulombs",
	"VA",
	"Nits",
	"lumen",
	"lux",
	"Candela",
	"kPa",
	"PSI",
	"Newton",
	"CFM",
	"RPM",
	"Hz",
	"microsecond",
	"millisecond",
	"second",
	"minute",
	"hour",
	"day",
	"week",
	"mil",
	"inches",
	"feet",
	"cu in",
	"cu feet",
	"mm",
	"cm",
	"m",
	"cu cm",
	"cu m",
	"liters",
	"fluid ounce",
	"radians",
	"steradians",
	"revolutions",
	"cycles",
	"gravities",
	"ounce",
	"pound",
	"ft-lb",
	"oz-in",
	"gauss",
	"gilberts",
	"henry",
	"millihenry",
	"farad",
	"microfarad",
	"ohms",
	"siemens",
	"mole",
	"becquerel",
	"PPM",
	"reserved",
	"Decibels",
	"DbA",
	"DbC",
	"gray",
	"sievert",
	"color temp deg K",
	"bit",
	"kilobit",
	"megabit",
	"gigabit",
	"byte",
	"kilobyte",
	"megabyte",
	"gigabyte",
	"word",
	"dword",
	"qword",
	"line",
	"hit",
	"miss",
	"retry",
	"reset",
	"overflow",
	"underrun",
	"collision",
	"packets",
	"messages",
	"characters",
	"error",
	"correctable error",
	"uncorrectable error",
	"fatal error",
	"grams",
};

/* IPMI v2.0 table 42-3, sensor type codes 00h-2Ch, ipmitool's names. */
static const char *const sensor_type_names[] = {
	"reserved",
	"Temperature",
	"Voltage",
	"Current",
	"Fan",
	"Physical Security",
	"Platform Security",
	"Processor",
	"Power Supply",
	"Power Unit",
	"Cooling Device",
	"Other",
	"Memory",
	"Drive Slot / Bay",
	"POST Memory Resize",
	"System Firmwares",
	"Event Logging Disabled",
	"Watchdog1",
	"System Event",
	"Critical Interrupt",
	"Button",
	"Module / Board",
	"Microcontroller",
	"Add-in Card",
	"Chassis",
	"Chip Set",
	"Other FRU",
	"Cable / Interconnect",
	"Terminator",
	"System Boot Initiated",
	"Boot Error",
	"OS Boot",
	"OS Critical Stop",
	"Slot / Connector",
	"System ACPI Power State",
	"Watchdog2",
	"Platform Alert",
	"Entity Presence",
	"Monitor ASIC",
	"LAN",
	"Management Subsys Health",
	"Battery",
	"Session Audit",
	"Version Change",
	"FRU State",
};

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

/*
 * Event offset texts.  code: the event/reading type (generic table) or the
 * sensor type (sensor-specific table, event type 6Fh); data: FFh for "any",
 * otherwise the event data 2 value the entry is specific to.  Order
 * matters: the first matching entry wins, as in ipmitool.
 */
#define ANY 0xff
struct ev_text {
	uint8_t code;
	uint8_t offset;
	uint8_t data;
	const char *text;
};

/* IPMI v2.0 table 42-2, generic event/reading type codes. */
static const struct ev_text generic_ev[] = {
	{ 0x01, 0x00, ANY, "Lower Non-critical going low" },
	{ 0x01, 0x01, ANY, "Lower Non-critical going high" },
	{ 0x01, 0x02, ANY, "Lower Critical going low" },
	{ 0x01, 0x03, ANY, "Lower Critical going high" },
	{ 0x01, 0x04, ANY, "Lower Non-recoverable going low" },
	{ 0x01, 0x05, ANY, "Lower Non-recoverable going high" },
	{ 0x01, 0x06, ANY, "Upper Non-critical going low" },
	{ 0x01, 0x07, ANY, "Upper Non-critical going high" },
	{ 0x01, 0x08, ANY, "Upper Critical going low" },
	{ 0x01, 0x09, ANY, "Upper Critical going high" },
	{ 0x01, 0x0a, ANY, "Upper Non-recoverable going low" },
	{ 0x01, 0x0b, ANY, "Upper Non-recoverable going high" },
	{ 0x02, 0x00, ANY, "Transition to Idle" },
	{ 0x02, 0x01, ANY, "Transition to Active" },
	{ 0x02, 0x02, ANY, "Transition to Busy" },
	{ 0x03, 0x00, ANY, "State Deasserted" },
	{ 0x03, 0x01, ANY, "State Asserted" },
	{ 0x04, 0x00, ANY, "Predictive Failure Deasserted" },
	{ 0x04, 0x01, ANY, "Predictive Failure Asserted" },
	{ 0x05, 0x00, ANY, "Limit Not Exceeded" },
	{ 0x05, 0x01, ANY, "Limit Exceeded" },
	{ 0x06, 0x00, ANY, "Performance Met" },
	{ 0x06, 0x01, ANY, "Performance Lags" },
	{ 0x07, 0x00, ANY, "Transition to OK" },
	{ 0x07, 0x01, ANY, "Transition to Non-critical from OK" },
	{ 0x07, 0x02, ANY, "Transition to Critical from less severe" },
	{ 0x07, 0x03, ANY, "Transition to Non-recoverable from less severe" },
	{ 0x07, 0x04, ANY, "Transition to Non-critical from more severe" },
	{ 0x07, 0x05, ANY, "Transition to Critical from Non-recoverable" },
	{ 0x07, 0x06, ANY, "Transition to Non-recoverable" },
	{ 0x07, 0x07, ANY, "Monitor" },
	{ 0x07, 0x08, ANY, "Informational" },
	{ 0x08, 0x00, ANY, "Device Absent" },
	{ 0x08, 0x01, ANY, "Device Present" },
	{ 0x09, 0x00, ANY, "Device Disabled" },
	{ 0x09, 0x01, ANY, "Device Enabled" },
	{ 0x0a, 0x00, ANY, "Transition to Running" },
	{ 0x0a, 0x01, ANY, "Transition to In Test" },
	{ 0x0a, 0x02, ANY, "Transition to Power Off" },
	{ 0x0a, 0x03, ANY, "Transition to On Line" },
	{ 0x0a, 0x04, ANY, "Transition to Off Line" },
	{ 0x0a, 0x05, ANY, "Transition to Off Duty" },
	{ 0x0a, 0x06, ANY, "Transition to Degraded" },
	{ 0x0a, 0x07, ANY, "Transition to Power Save" },
	{ 0x0a, 0x08, ANY, "Install Error" },
	{ 0x0b, 0x00, ANY, "Fully Redundant" },
	{ 0x0b, 0x01, ANY, "Redundancy Lost" },
	{ 0x0b, 0x02, ANY, "Redundancy Degraded" },
	{ 0x0b, 0x03, ANY, "Non-Redundant: Sufficient from Redundant" },
	{ 0x0b, 0x04, ANY, "Non-Redundant: Sufficient from Insufficient" },
	{ 0x0b, 0x05, ANY, "Non-Redundant: Insufficient Resources" },
	{ 0x0b, 0x06, ANY, "Redundancy Degraded from Fully Redundant" },
	{ 0x0b, 0x07, ANY, "Redundancy Degraded from Non-Redundant" },
	{ 0x0c, 0x00, ANY, "D0 Power State" },
	{ 0x0c, 0x01, ANY, "D1 Power State" },
	{ 0x0c, 0x02, ANY, "D2 Power State" },
	{ 0x0c, 0x03, ANY, "D3 Power State" },
};

/* Firmware error/hang/progress codes share their event data 2 texts. */
#define FW_PROGRESS(off, last)                                                                     \
	{ 0x0f, off, 0x00, "Unspecified" }, { 0x0f, off, 0x01, "Memory initialization" },          \
	    { 0x0f, off, 0x02, "Hard-disk initialization" },                                       \
	    { 0x0f, off, 0x03, "Secondary CPU Initialization" },                                   \
	    { 0x0f, off, 0x04, "User authentication" },                                            \
	    { 0x0f, off, 0x05, "User-initiated system setup" },                                    \
	    { 0x0f, off, 0x06, "USB resource configuration" },                                     \
	    { 0x0f, off, 0x07, "PCI resource configuration" },                                     \
	    { 0x0f, off, 0x08, "Option ROM initialization" },                                      \
	    { 0x0f, off, 0x09, "Video initialization" },                                           \
	    { 0x0f, off, 0x0a, "Cache initialization" },                                           \
	    { 0x0f, off, 0x0b, "SMBus initialization" },                                           \
	    { 0x0f, off, 0x0c, "Keyboard controller initialization" },                             \
	    { 0x0f, off, 0x0d, "Management controller initialization" },                           \
	    { 0x0f, off, 0x0e, "Docking station attachment" },                                     \
	    { 0x0f, off, 0x0f, "Enabling docking station" },                                       \
	    { 0x0f, off, 0x10, "Docking station ejection" },                                       \
	    { 0x0f, off, 0x11, "Disabling docking station" },                                      \
	    { 0x0f, off, 0x12, "Calling operating system wake-up vector" },                        \
	    { 0x0f, off, 0x13, "System boot initiated" },                                          \
	    { 0x0f, off, 0x14, "Motherboard initialization" }, { 0x0f, off, 0x15, "reserved" },    \
	    { 0x0f, off, 0x16, "Floppy initialization" }, { 0x0f, off, 0x17, "Keyboard test" },    \
	    { 0x0f, off, 0x18, "Pointing device test" },                                           \
	    { 0x0f, off, 0x19, "Primary CPU initialization" },                                     \
	{                                                                                          \
		0x0f, off, ANY, last                                                               \
	}

/* Version change (2Bh) offsets 01h and 07h, qualified by event data 2. */
#define VERSION_CHANGE(off, what)                                                                  \
	{ 0x2b, off, 0x00, what }, { 0x2b, off, 0x01, what ", Mngmt Ctrl Dev Id" },                \
	    { 0x2b, off, 0x02, what ", Mngmt Ctrl Firm Rev" },                                     \
	    { 0x2b, off, 0x03, what ", Mngmt Ctrl Dev Rev" },                                      \
	    { 0x2b, off, 0x04, what ", Mngmt Ctrl Manuf Id" },                                     \
	    { 0x2b, off, 0x05, what ", Mngmt Ctrl IPMI Vers" },                                    \
	    { 0x2b, off, 0x06, what ", Mngmt Ctrl Aux Firm Id" },                                  \
	    { 0x2b, off, 0x07, what ", Mngmt Ctrl Firm Boot Block" },                              \
	    { 0x2b, off, 0x08, what ", Mngmt Ctrl Other" },                                        \
	    { 0x2b, off, 0x09, what ", BIOS/EFI change" },                                         \
	    { 0x2b, off, 0x0a, what ", SMBIOS change" }, { 0x2b, off, 0x0b, what ", O/S change" }, \
	    { 0x2b, off, 0x0c, what ", O/S loader change" },                                       \
	    { 0x2b, off, 0x0d, what ", Service Diag change" },                                     \
	    { 0x2b, off, 0x0e, what ", Mngmt SW agent change" },                                   \
	    { 0x2b, off, 0x0f, what ", Mngmt SW App change" },                                     \
	    { 0x2b, off, 0x10, what ", Mngmt SW Middle" },                                         \
	    { 0x2b, off, 0x11, what ", Prog HW Change (FPGA)" },                                   \
	    { 0x2b, off, 0x12, what ", board/FRU module change" },                                 \
	    { 0x2b, off, 0x13, what ", board/FRU component change" },                              \
	    { 0x2b, off, 0x14, what ", board/FRU replace equ ver" },                               \
	    { 0x2b, off, 0x15, what ", board/FRU replace new ver" },                               \
	    { 0x2b, off, 0x16, what ", board/FRU replace old ver" },                               \
	{                                                                                          \
		0x2b, off, 0x17, what ", board/FRU HW conf change"                                 \
	}

/* IPMI v2.0 table 42-3, sensor-specific offsets (event type 6Fh). */
static const struct ev_text specific_ev[] = {
	/* Physical Security */
	{ 0x05, 0x00, ANY, "General Chassis intrusion" },
	{ 0x05, 0x01, ANY, "Drive Bay intrusion" },
	{ 0x05, 0x02, ANY, "I/O Card area intrusion" },
	{ 0x05, 0x03, ANY, "Processor area intrusion" },
	{ 0x05, 0x04, ANY, "System unplugged from LAN" },
	{ 0x05, 0x05, ANY, "Unauthorized dock" },
	{ 0x05, 0x06, ANY, "FAN area intrusion" },
	/* Platform Security */
	{ 0x06, 0x00, ANY, "Front Panel Lockout violation attempted" },
	{ 0x06, 0x01, ANY, "Pre-boot password violation - user password" },
	{ 0x06, 0x02, ANY, "Pre-boot password violation - setup password" },
	{ 0x06, 0x03, ANY, "Pre-boot password violation - network boot password" },
	{ 0x06, 0x04, ANY, "Other pre-boot password violation" },
	{ 0x06, 0x05, ANY, "Out-of-band access password violation" },
	/* Processor */
	{ 0x07, 0x00, ANY, "IERR" },
	{ 0x07, 0x01, ANY, "Thermal Trip" },
	{ 0x07, 0x02, ANY, "FRB1/BIST failure" },
	{ 0x07, 0x03, ANY, "FRB2/Hang in POST failure" },
	{ 0x07, 0x04, ANY, "FRB3/Processor startup/init failure" },
	{ 0x07, 0x05, ANY, "Configuration Error" },
	{ 0x07, 0x06, ANY, "SM BIOS Uncorrectable CPU-complex Error" },
	{ 0x07, 0x07, ANY, "Presence detected" },
	{ 0x07, 0x08, ANY, "Disabled" },
	{ 0x07, 0x09, ANY, "Terminator presence detected" },
	{ 0x07, 0x0a, ANY, "Throttled" },
	{ 0x07, 0x0b, ANY, "Uncorrectable machine check exception" },
	{ 0x07, 0x0c, ANY, "Correctable machine check error" },
	/* Power Supply */
	{ 0x08, 0x00, ANY, "Presence detected" },
	{ 0x08, 0x01, ANY, "Failure detected" },
	{ 0x08, 0x02, ANY, "Predictive failure" },
	{ 0x08, 0x03, ANY, "Power Supply AC lost" },
	{ 0x08, 0x04, ANY, "AC lost or out-of-range" },
	{ 0x08, 0x05, ANY, "AC out-of-range, but present" },
	{ 0x08, 0x06, 0x00, "Config Error: Vendor Mismatch" },
	{ 0x08, 0x06, 0x01, "Config Error: Revision Mismatch" },
	{ 0x08, 0x06, 0x02, "Config Error: Processor Missing" },
	{ 0x08, 0x06, 0x03, "Config Error: Power Supply Rating Mismatch" },
	{ 0x08, 0x06, 0x04, "Config Error: Voltage Rating Mismatch" },
	{ 0x08, 0x06, ANY, "Config Error" },
	{ 0x08, 0x06, ANY, "Power Supply Inactive" },
	/* Power Unit */
	{ 0x09, 0x00, ANY, "Power off/down" },
	{ 0x09, 0x01, ANY, "Power cycle" },
	{ 0x09, 0x02, ANY, "240VA power down" },
	{ 0x09, 0x03, ANY, "Interlock power down" },
	{ 0x09, 0x04, ANY, "AC lost" },
	{ 0x09, 0x05, ANY, "Soft-power control failure" },
	{ 0x09, 0x06, ANY, "Failure detected" },
	{ 0x09, 0x07, ANY, "Predictive failure" },
	/* Memory */
	{ 0x0c, 0x00, ANY, "Correctable ECC" },
	{ 0x0c, 0x01, ANY, "Uncorrectable ECC" },
	{ 0x0c, 0x02, ANY, "Parity" },
	{ 0x0c, 0x03, ANY, "Memory Scrub Failed" },
	{ 0x0c, 0x04, ANY, "Memory Device Disabled" },
	{ 0x0c, 0x05, ANY, "Correctable ECC logging limit reached" },
	{ 0x0c, 0x06, ANY, "Presence Detected" },
	{ 0x0c, 0x07, ANY, "Configuration Error" },
	{ 0x0c, 0x08, ANY, "Spare" },
	{ 0x0c, 0x09, ANY, "Throttled" },
	{ 0x0c, 0x0a, ANY, "Critical Overtemperature" },
	/* Drive Slot */
	{ 0x0d, 0x00, ANY, "Drive Present" },
	{ 0x0d, 0x01, ANY, "Drive Fault" },
	{ 0x0d, 0x02, ANY, "Predictive Failure" },
	{ 0x0d, 0x03, ANY, "Hot Spare" },
	{ 0x0d, 0x04, ANY, "Parity Check In Progress" },
	{ 0x0d, 0x05, ANY, "In Critical Array" },
	{ 0x0d, 0x06, ANY, "In Failed Array" },
	{ 0x0d, 0x07, ANY, "Rebuild In Progress" },
	{ 0x0d, 0x08, ANY, "Rebuild Aborted" },
	/* System Firmware Error */
	{ 0x0f, 0x00, 0x00, "Unspecified" },
	{ 0x0f, 0x00, 0x01, "No system memory installed" },
	{ 0x0f, 0x00, 0x02, "No usable system memory" },
	{ 0x0f, 0x00, 0x03, "Unrecoverable IDE device failure" },
	{ 0x0f, 0x00, 0x04, "Unrecoverable system-board failure" },
	{ 0x0f, 0x00, 0x05, "Unrecoverable diskette failure" },
	{ 0x0f, 0x00, 0x06, "Unrecoverable hard-disk controller failure" },
	{ 0x0f, 0x00, 0x07, "Unrecoverable PS/2 or USB keyboard failure" },
	{ 0x0f, 0x00, 0x08, "Removable boot media not found" },
	{ 0x0f, 0x00, 0x09, "Unrecoverable video controller failure" },
	{ 0x0f, 0x00, 0x0a, "No video device selected" },
	{ 0x0f, 0x00, 0x0b, "BIOS corruption detected" },
	{ 0x0f, 0x00, 0x0c, "CPU voltage mismatch" },
	{ 0x0f, 0x00, 0x0d, "CPU speed mismatch failure" },
	{ 0x0f, 0x00, ANY, "Unknown Error" },
	/* System Firmware Hang and Progress */
	FW_PROGRESS(0x01, "Unknown Hang"),
	FW_PROGRESS(0x02, "Unknown Progress"),
	/* Event Logging Disabled */
	{ 0x10, 0x00, ANY, "Correctable memory error logging disabled" },
	{ 0x10, 0x01, ANY, "Event logging disabled" },
	{ 0x10, 0x02, ANY, "Log area reset/cleared" },
	{ 0x10, 0x03, ANY, "All event logging disabled" },
	{ 0x10, 0x04, ANY, "Log full" },
	{ 0x10, 0x05, ANY, "Log almost full" },
	/* Watchdog 1 */
	{ 0x11, 0x00, ANY, "BIOS Reset" },
	{ 0x11, 0x01, ANY, "OS Reset" },
	{ 0x11, 0x02, ANY, "OS Shut Down" },
	{ 0x11, 0x03, ANY, "OS Power Down" },
	{ 0x11, 0x04, ANY, "OS Power Cycle" },
	{ 0x11, 0x05, ANY, "OS NMI/Diag Interrupt" },
	{ 0x11, 0x06, ANY, "OS Expired" },
	{ 0x11, 0x07, ANY, "OS pre-timeout Interrupt" },
	/* System Event */
	{ 0x12, 0x00, ANY, "System Reconfigured" },
	{ 0x12, 0x01, ANY, "OEM System boot event" },
	{ 0x12, 0x02, ANY, "Undetermined system hardware failure" },
	{ 0x12, 0x03, ANY, "Entry added to auxiliary log" },
	{ 0x12, 0x04, ANY, "PEF Action" },
	{ 0x12, 0x05, ANY, "Timestamp Clock Sync" },
	/* Critical Interrupt */
	{ 0x13, 0x00, ANY, "NMI/Diag Interrupt" },
	{ 0x13, 0x01, ANY, "Bus Timeout" },
	{ 0x13, 0x02, ANY, "I/O Channel check NMI" },
	{ 0x13, 0x03, ANY, "Software NMI" },
	{ 0x13, 0x04, ANY, "PCI PERR" },
	{ 0x13, 0x05, ANY, "PCI SERR" },
	{ 0x13, 0x06, ANY, "EISA failsafe timeout" },
	{ 0x13, 0x07, ANY, "Bus Correctable error" },
	{ 0x13, 0x08, ANY, "Bus Uncorrectable error" },
	{ 0x13, 0x09, ANY, "Fatal NMI" },
	{ 0x13, 0x0a, ANY, "Bus Fatal Error" },
	{ 0x13, 0x0b, ANY, "Bus Degraded" },
	/* Button */
	{ 0x14, 0x00, ANY, "Power Button pressed" },
	{ 0x14, 0x01, ANY, "Sleep Button pressed" },
	{ 0x14, 0x02, ANY, "Reset Button pressed" },
	{ 0x14, 0x03, ANY, "FRU Latch" },
	{ 0x14, 0x04, ANY, "FRU Service" },
	/* Chip Set */
	{ 0x19, 0x00, ANY, "Soft Power Control Failure" },
	{ 0x19, 0x01, ANY, "Thermal Trip" },
	/* Cable/Interconnect */
	{ 0x1b, 0x00, ANY, "Connected" },
	{ 0x1b, 0x01, ANY, "Config Error" },
	/* System Boot Initiated */
	{ 0x1d, 0x00, ANY, "Initiated by power up" },
	{ 0x1d, 0x01, ANY, "Initiated by hard reset" },
	{ 0x1d, 0x02, ANY, "Initiated by warm reset" },
	{ 0x1d, 0x03, ANY, "User requested PXE boot" },
	{ 0x1d, 0x04, ANY, "Automatic boot to diagnostic" },
	{ 0x1d, 0x05, ANY, "OS initiated hard reset" },
	{ 0x1d, 0x06, ANY, "OS initiated warm reset" },
	{ 0x1d, 0x07, ANY, "System Restart" },
	/* Boot Error */
	{ 0x1e, 0x00, ANY, "No bootable media" },
	{ 0x1e, 0x01, ANY, "Non-bootable disk in drive" },
	{ 0x1e, 0x02, ANY, "PXE server not found" },
	{ 0x1e, 0x03, ANY, "Invalid boot sector" },
	{ 0x1e, 0x04, ANY, "Timeout waiting for selection" },
	/* OS Boot */
	{ 0x1f, 0x00, ANY, "A: boot completed" },
	{ 0x1f, 0x01, ANY, "C: boot completed" },
	{ 0x1f, 0x02, ANY, "PXE boot completed" },
	{ 0x1f, 0x03, ANY, "Diagnostic boot completed" },
	{ 0x1f, 0x04, ANY, "CD-ROM boot completed" },
	{ 0x1f, 0x05, ANY, "ROM boot completed" },
	{ 0x1f, 0x06, ANY, "boot completed - device not specified" },
	{ 0x1f, 0x07, ANY, "Installation started" },
	{ 0x1f, 0x08, ANY, "Installation completed" },
	{ 0x1f, 0x09, ANY, "Installation aborted" },
	{ 0x1f, 0x0a, ANY, "Installation failed" },
	/* OS Stop/Shutdown */
	{ 0x20, 0x00, ANY, "Error during system startup" },
	{ 0x20, 0x01, ANY, "Run-time critical stop" },
	{ 0x20, 0x02, ANY, "OS graceful stop" },
	{ 0x20, 0x03, ANY, "OS graceful shutdown" },
	{ 0x20, 0x04, ANY, "PEF initiated soft shutdown" },
	{ 0x20, 0x05, ANY, "Agent not responding" },
	/* Slot/Connector */
	{ 0x21, 0x00, ANY, "Fault Status" },
	{ 0x21, 0x01, ANY, "Identify Status" },
	{ 0x21, 0x02, ANY, "Device Installed" },
	{ 0x21, 0x03, ANY, "Ready for Device Installation" },
	{ 0x21, 0x04, ANY, "Ready for Device Removal" },
	{ 0x21, 0x05, ANY, "Slot Power is Off" },
	{ 0x21, 0x06, ANY, "Device Removal Request" },
	{ 0x21, 0x07, ANY, "Interlock" },
	{ 0x21, 0x08, ANY, "Slot is Disabled" },
	{ 0x21, 0x09, ANY, "Spare Device" },
	/* System ACPI Power State */
	{ 0x22, 0x00, ANY, "S0/G0: working" },
	{ 0x22, 0x01, ANY, "S1: sleeping with system hw & processor context maintained" },
	{ 0x22, 0x02, ANY, "S2: sleeping, processor context lost" },
	{ 0x22, 0x03, ANY, "S3: sleeping, processor & hw context lost, memory retained" },
	{ 0x22, 0x04, ANY, "S4: non-volatile sleep/suspend-to-disk" },
	{ 0x22, 0x05, ANY, "S5/G2: soft-off" },
	{ 0x22, 0x06, ANY, "S4/S5: soft-off" },
	{ 0x22, 0x07, ANY, "G3: mechanical off" },
	{ 0x22, 0x08, ANY, "Sleeping in S1/S2/S3 state" },
	{ 0x22, 0x09, ANY, "G1: sleeping" },
	{ 0x22, 0x0a, ANY, "S5: entered by override" },
	{ 0x22, 0x0b, ANY, "Legacy ON state" },
	{ 0x22, 0x0c, ANY, "Legacy OFF state" },
	{ 0x22, 0x0e, ANY, "Unknown" },
	/* Watchdog 2 */
	{ 0x23, 0x00, ANY, "Timer expired" },
	{ 0x23, 0x01, ANY, "Hard reset" },
	{ 0x23, 0x02, ANY, "Power down" },
	{ 0x23, 0x03, ANY, "Power cycle" },
	{ 0x23, 0x04, ANY, "reserved" },
	{ 0x23, 0x05, ANY, "reserved" },
	{ 0x23, 0x06, ANY, "reserved" },
	{ 0x23, 0x07, ANY, "reserved" },
	{ 0x23, 0x08, ANY, "Timer interrupt" },
	/* Platform Alert */
	{ 0x24, 0x00, ANY, "Platform generated page" },
	{ 0x24, 0x01, ANY, "Platform generated LAN alert" },
	{ 0x24, 0x02, ANY, "Platform Event Trap generated" },
	{ 0x24, 0x03, ANY, "Platform generated SNMP trap, OEM format" },
	/* Entity Presence */
	{ 0x25, 0x00, ANY, "Present" },
	{ 0x25, 0x01, ANY, "Absent" },
	{ 0x25, 0x02, ANY, "Disabled" },
	/* LAN */
	{ 0x27, 0x00, ANY, "Heartbeat Lost" },
	{ 0x27, 0x01, ANY, "Heartbeat" },
	/* Management Subsystem Health */
	{ 0x28, 0x00, ANY, "Sensor access degraded or unavailable" },
	{ 0x28, 0x01, ANY, "Controller access degraded or unavailable" },
	{ 0x28, 0x02, ANY, "Management controller off-line" },
	{ 0x28, 0x03, ANY, "Management controller unavailable" },
	{ 0x28, 0x04, ANY, "Sensor failure" },
	{ 0x28, 0x05, ANY, "FRU failure" },
	/* Battery */
	{ 0x29, 0x00, ANY, "Low" },
	{ 0x29, 0x01, ANY, "Failed" },
	{ 0x29, 0x02, ANY, "Presence Detected" },
	/* Version Change */
	{ 0x2b, 0x00, ANY, "Hardware change detected" },
	VERSION_CHANGE(0x01, "Firmware or software change detected"),
	{ 0x2b, 0x02, ANY, "Hardware incompatibility detected" },
	{ 0x2b, 0x03, ANY, "Firmware or software incompatibility detected" },
	{ 0x2b, 0x04, ANY, "Invalid or unsupported hardware version" },
	{ 0x2b, 0x05, ANY, "Invalid or unsupported firmware or software version" },
	{ 0x2b, 0x06, ANY, "Hardware change success" },
	VERSION_CHANGE(0x07, "Firmware or software change success"),
	/* FRU State */
	{ 0x2c, 0x00, ANY, "Not Installed" },
	{ 0x2c, 0x01, ANY, "Inactive" },
	{ 0x2c, 0x02, ANY, "Activation Requested" },
	{ 0x2c, 0x03, ANY, "Activation in Progress" },
	{ 0x2c, 0x04, ANY, "Active" },
	{ 0x2c, 0x05, ANY, "Deactivation Requested" },
	{ 0x2c, 0x06, ANY, "Deactivation in Progress" },
	{ 0x2c, 0x07, ANY, "Communication lost" },
	/* PICMG FRU Hot Swap, IPMB Physical Link, Module Hot Swap (OEM range) */
	{ 0xf0, 0x00, ANY, "Transition to M0" },
	{ 0xf0, 0x01, ANY, "Transition to M1" },
	{ 0xf0, 0x02, ANY, "Transition to M2" },
	{ 0xf0, 0x03, ANY, "Transition to M3" },
	{ 0xf0, 0x04, ANY, "Transition to M4" },
	{ 0xf0, 0x05, ANY, "Transition to M5" },
	{ 0xf0, 0x06, ANY, "Transition to M6" },
	{ 0xf0, 0x07, ANY, "Transition to M7" },
	{ 0xf1, 0x00, ANY, "IPMB-A disabled, IPMB-B disabled" },
	{ 0xf1, 0x01, ANY, "IPMB-A enabled, IPMB-B disabled" },
	{ 0xf1, 0x02, ANY, "IPMB-A disabled, IPMB-B enabled" },
	{ 0xf1, 0x03, ANY, "IPMB-A enabled, IPMB-B enabled" },
	{ 0xf2, 0x00, ANY, "Module Handle Closed" },
	{ 0xf2, 0x01, ANY, "Module Handle Opened" },
	{ 0xf2, 0x02, ANY, "Quiesced" },
};

/* Appends s to buf at *pos; sticky overflow (returns false once full). */
static bool
put_str(char *buf, size_t cap, size_t *pos, const char *s, bool *full)
{
	size_t n = strlen(s);

	if (*full)
		return false;
	if (cap == 0 || n >= cap - *pos) {
		if (cap > 0) {
			size_t room = cap - *pos - 1;

			memcpy(buf + *pos, s, room);
			*pos += room;
			buf[*pos] = '\0';
		}
		*full = true;
		return false;
	}
	memcpy(buf + *pos, s, n);
	*pos += n;
	buf[*pos] = '\0';
	return true;
}

static int
put_done(size_t pos, bool full)
{
	return full ? IPMI_E_NOSPACE : (int)pos;
}

const char *
ipmistr_unit(uint8_t code)
{
	return code <= IPMISTR_UNIT_MAX ? unit_names[code] : "invalid";
}

int
ipmistr_units(bool pct, uint8_t mod_rel, uint8_t base, uint8_t mod, char *buf, size_t cap)
{
	size_t pos = 0;
	bool full = false;

	if (cap > 0)
		buf[0] = '\0';
	if (mod_rel == IPMISTR_UNIT_MOD_DIV || mod_rel == IPMISTR_UNIT_MOD_MUL) {
		if (pct)
			put_str(buf, cap, &pos, "% ", &full);
		put_str(buf, cap, &pos, ipmistr_unit(base), &full);
		put_str(buf, cap, &pos, mod_rel == IPMISTR_UNIT_MOD_DIV ? "/" : "*", &full);
		put_str(buf, cap, &pos, ipmistr_unit(mod), &full);
	} else if (base == 0 && pct) {
		put_str(buf, cap, &pos, "percent", &full);
	} else {
		if (pct)
			put_str(buf, cap, &pos, "% ", &full);
		put_str(buf, cap, &pos, ipmistr_unit(base), &full);
	}
	return put_done(pos, full);
}

const char *
ipmistr_sensor_type(uint8_t code)
{
	return code < NELEM(sensor_type_names) ? sensor_type_names[code] : "Unknown";
}

enum ipmistr_evclass
ipmistr_event_class(uint8_t event_type)
{
	uint8_t t = event_type & 0x7f;

	if (t == 0x00)
		return IPMISTR_EV_UNSPECIFIED;
	if (t == 0x01)
		return IPMISTR_EV_THRESHOLD;
	if (t <= 0x0c)
		return IPMISTR_EV_GENERIC;
	if (t == 0x6f)
		return IPMISTR_EV_SENSOR_SPECIFIC;
	if (t >= 0x70)
		return IPMISTR_EV_OEM;
	return IPMISTR_EV_RESERVED;
}

const char *
ipmistr_event_type_name(uint8_t event_type)
{
	uint8_t t = event_type & 0x7f;

	if (t == 0x00)
		return "Unspecified";
	if (t == 0x01)
		return "Threshold";
	if (t <= 0x0b)
		return "Generic Discrete";
	if (t == 0x6f)
		return "Sensor-specific Discrete";
	if (t >= 0x70)
		return "OEM";
	return "Reserved";
}

/* The table and key ipmitool searches for this sensor/event type. */
static const struct ev_text *
ev_table(uint8_t sensor_type, uint8_t event_type, size_t *n, uint8_t *code)
{
	if ((event_type & 0x7f) == 0x6f) {
		*n = NELEM(specific_ev);
		*code = sensor_type;
		return specific_ev;
	}
	*n = NELEM(generic_ev);
	*code = event_type & 0x7f;
	return generic_ev;
}

const char *
ipmistr_event_desc(uint8_t sensor_type, uint8_t event_type, uint8_t ev1, uint8_t ev2)
{
	uint8_t t = event_type & 0x7f, code, offset = ev1 & 0x0f;
	const struct ev_text *tab;
	size_t n;

	/* OEM event types 70h-7Eh have vendor texts only (none here). */
	if (t >= 0x70 && t < 0x7f)
		return NULL;
	tab = ev_table(sensor_type, event_type, &n, &code);
	for (size_t i = 0; i < n; i++) {
		if (tab[i].code != code || tab[i].offset != offset)
			continue;
		if (tab[i].data == ANY || ((ev1 & 0xc0) != 0 && tab[i].data == ev2))
			return tab[i].text;
	}
	return NULL;
}

int
ipmistr_state_names(uint8_t sensor_type, uint8_t event_type, uint16_t state, const char *sep,
                    char *buf, size_t cap)
{
	const struct ev_text *tab;
	size_t n, pos = 0;
	uint8_t code;
	bool full = false, first = true;

	if (cap > 0)
		buf[0] = '\0';
	state &= 0x7fff; /* bit 15 of the reading is reserved */
	tab = ev_table(sensor_type, event_type, &n, &code);
	for (size_t i = 0; i < n; i++) {
		if (tab[i].code != code || tab[i].data != ANY || tab[i].offset > 14)
			continue;
		if ((state & (1u << tab[i].offset)) == 0)
			continue;
		if (!first)
			put_str(buf, cap, &pos, sep, &full);
		put_str(buf, cap, &pos, tab[i].text, &full);
		first = false;
	}
	return put_done(pos, full);
}

static void
put_char(char *buf, size_t cap, size_t *pos, char c, bool *full)
{
	if (*full || cap == 0 || *pos + 1 >= cap) {
		*full = true;
		return;
	}
	buf[(*pos)++] = c;
	buf[*pos] = '\0';
}

int
ipmistr_tl_decode(unsigned type, const uint8_t *p, size_t n, char *buf, size_t cap)
{
	static const char hex[] = "0123456789abcdef";
	static const char bcd[] = "0123456789 -.:,_";
	size_t pos = 0;
	bool full = false;

	if (cap > 0)
		buf[0] = '\0';
	if (p == NULL)
		n = 0;
	switch (type & 3) {
	case IPMISTR_TL_BINARY:
		for (size_t i = 0; i < n; i++) {
			put_char(buf, cap, &pos, hex[p[i] >> 4], &full);
			put_char(buf, cap, &pos, hex[p[i] & 0x0f], &full);
		}
		break;
	case IPMISTR_TL_BCDPLUS:
		for (size_t i = 0; i < n; i++) {
			put_char(buf, cap, &pos, bcd[p[i] >> 4], &full);
			put_char(buf, cap, &pos, bcd[p[i] & 0x0f], &full);
		}
		break;
	case IPMISTR_TL_ASCII6: {
		/* Little-endian bit stream, 6 bits per character, 20h-5Fh. */
		size_t nchars = n * 8 / 6;

		for (size_t c = 0; c < nchars; c++) {
			size_t bit = c * 6, byte = bit / 8, shift = bit % 8;
			unsigned v = p[byte] >> shift;

			if (shift > 2 && byte + 1 < n)
				v |= (unsigned)p[byte + 1] << (8 - shift);
			put_char(buf, cap, &pos, (char)((v & 0x3f) + 0x20), &full);
		}
		break;
	}
	default: /* IPMISTR_TL_LATIN1 */
		for (size_t i = 0; i < n && p[i] != 0; i++) {
			uint8_t c = p[i];

			if (c < 0x20 || (c >= 0x7f && c < 0xa0)) {
				put_char(buf, cap, &pos, '.', &full);
			} else if (c < 0x80) {
				put_char(buf, cap, &pos, (char)c, &full);
			} else {
				put_char(buf, cap, &pos, (char)(0xc0 | c >> 6), &full);
				put_char(buf, cap, &pos, (char)(0x80 | (c & 0x3f)), &full);
			}
		}
		break;
	}
	return put_done(pos, full);
}

int
ipmistr_version(uint8_t bcd, char *buf, size_t cap)
{
	int n = snprintf(buf, cap, "%x.%x", (unsigned)(bcd & 0x0f), (unsigned)(bcd >> 4));

	if (n < 0)
		return IPMI_E_ARG;
	return (size_t)n < cap ? n : IPMI_E_NOSPACE;
}

bool
ipmistr_is_integral(double v)
{
	/* ipmitool tests v == (int)v; the range guard keeps the cast defined. */
	if (!(v > -2147483649.0 && v < 2147483648.0))
		return false;
	return v == (double)(int)v;
}

int
ipmistr_fmt_value(double v, int precision, char *buf, size_t cap)
{
	int n;

	if (precision < 0)
		precision = 0;
	if (precision > 10)
		precision = 10;
	n = snprintf(buf, cap, "%.*f", ipmistr_is_integral(v) ? 0 : precision, v);
	if (n < 0)
		return IPMI_E_ARG;
	if ((size_t)n >= cap)
		return IPMI_E_NOSPACE;
	return n;
}

void
ipmistr_utc(int64_t secs, struct ipmistr_tm *tm)
{
	/* Days since 1970-01-01 to a civil date (proleptic Gregorian). */
	int64_t days = secs / 86400, rem = secs % 86400;
	int64_t z, era, doe, yoe, doy, mp, y;

	if (rem < 0) {
		rem += 86400;
		days--;
	}
	tm->hour = (int)(rem / 3600);
	tm->min = (int)(rem % 3600 / 60);
	tm->sec = (int)(rem % 60);
	tm->wday = (int)((days % 7 + 11) % 7); /* 1970-01-01 was a Thursday */
	z = days + 719468;
	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = z - era * 146097;
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	y = yoe + era * 400;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	tm->mday = (int)(doy - (153 * mp + 2) / 5 + 1);
	tm->mon = (int)(mp < 10 ? mp + 3 : mp - 9);
	tm->year = (int)(y + (tm->mon <= 2));
}

int
ipmistr_iso8601(int64_t secs, char *buf, size_t cap)
{
	struct ipmistr_tm tm;
	int n;

	ipmistr_utc(secs, &tm);
	n = snprintf(buf, cap, "%04d-%02d-%02dT%02d:%02d:%02dZ", tm.year, tm.mon, tm.mday, tm.hour,
	             tm.min, tm.sec);
	if (n < 0)
		return IPMI_E_ARG;
	if ((size_t)n >= cap)
		return IPMI_E_NOSPACE;
	return n;
}
