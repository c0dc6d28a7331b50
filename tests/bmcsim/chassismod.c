/*
 * chassismod.c - an ipmi_sim module (lan.conf "loadlib") that keeps the
 * fixture's chassis in the simulator's memory: power, boot device, hard
 * reset, soft shutdown, identify.  It replaces the chassisctl script, which
 * ipmi_sim runs through popen() (two shells) for every Get Chassis Status
 * while it blocks; here the same command costs no process at all.
 *
 *   loadlib "/path/ipmipool-chassismod.so" "STATEDIR/bmcI"
 *
 * Same state files and log as chassisctl, so tests see no difference:
 * DIR/power ("0"/"1", read at start-up, so a restarted simulator keeps it),
 * DIR/boot (boot device name), DIR/identify, and DIR/chassis.log with one
 * line per change: "<unix time.ns> <parm> <value>".  A boot device outside
 * ipmi_sim's map (none pxe default cdrom bios) is refused, which ipmi_sim
 * answers with completion code FFh, as it does for the script.
 *
 * Test fixture only: built when the OpenIPMI server headers
 * (libopenipmi-dev) are there, never installed.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include <OpenIPMI/mcserv.h>
#include <OpenIPMI/serv.h>

/* The exported entry points ipmi_sim looks up with dlsym(). */
int ipmi_sim_module_init(sys_data_t *sys, const char *initstr);
int ipmi_sim_module_post_init(sys_data_t *sys);

#define CM_BMC_IPMB 0x20

/* ipmi_sim's boot device map (bmc_chassis.c): selector value <-> name. */
static const struct {
	unsigned char value;
	const char *name;
} cm_boot_map[] = {
	{ 0, "none" }, { 1, "pxe" }, { 2, "default" }, { 5, "cdrom" }, { 6, "bios" },
};

static struct {
	char dir[512];
	unsigned char power;
	unsigned char boot;
} cm;

static const char *
cm_boot_name(unsigned char value)
{
	for (size_t i = 0; i < sizeof(cm_boot_map) / sizeof(cm_boot_map[0]); i++)
		if (cm_boot_map[i].value == value)
			return cm_boot_map[i].name;
	return NULL;
}

/* Reads the first word of DIR/name into buf; 0, or -1 when absent. */
static int
cm_read(const char *name, char *buf, size_t size)
{
	char path[600];
	FILE *f;
	int rc = -1;

	snprintf(path, sizeof(path), "%s/%s", cm.dir, name);
	if ((f = fopen(path, "r")) == NULL)
		return -1;
	if (fgets(buf, (int)size, f) != NULL) {
		buf[strcspn(buf, " \t\r\n")] = '\0';
		rc = 0;
	}
	fclose(f);
	return rc;
}

/* Replaces DIR/name with text and a newline. */
static int
cm_write(const char *name, const char *text)
{
	char path[600];
	FILE *f;
	int rc;

	snprintf(path, sizeof(path), "%s/%s", cm.dir, name);
	if ((f = fopen(path, "w")) == NULL)
		return errno;
	fprintf(f, "%s\n", text);
	rc = fclose(f) == 0 ? 0 : errno;
	return rc;
}

/* Appends "<unix time.ns> parm value" to DIR/chassis.log. */
static void
cm_log(const char *parm, const char *value)
{
	char path[600];
	struct timespec ts;
	FILE *f;

	snprintf(path, sizeof(path), "%s/chassis.log", cm.dir);
	clock_gettime(CLOCK_REALTIME, &ts);
	if ((f = fopen(path, "a")) != NULL) {
		fprintf(f, "%lld.%09ld %s %s\n", (long long)ts.tv_sec, ts.tv_nsec, parm, value);
		fclose(f);
	}
}

static int
cm_set_power(unsigned char on, const char *parm, const char *logged)
{
	cm.power = on;
	cm_log(parm, logged);
	return cm_write("power", on ? "1" : "0");
}

static int
cm_set(lmc_data_t *mc, int op, unsigned char *val, void *cb_data)
{
	char text[32];
	const char *name;

	(void)mc;
	(void)cb_data;
	switch (op) {
	case CHASSIS_CONTROL_POWER:
		return cm_set_power(val[0] != 0, "power", val[0] ? "1" : "0");
	case CHASSIS_CONTROL_RESET: /* a pulse: power stays as it is */
		cm_log("reset", "1");
		return 0;
	case CHASSIS_CONTROL_GRACEFUL_SHUTDOWN: /* emulated as power off */
		return cm_set_power(0, "shutdown", "1");
	case CHASSIS_CONTROL_BOOT:
		if ((name = cm_boot_name(val[0])) == NULL)
			return EINVAL;
		cm.boot = val[0];
		cm_log("boot", name);
		return cm_write("boot", name);
	case CHASSIS_CONTROL_BOOT_INFO_ACK:
		return 0;
	case CHASSIS_CONTROL_IDENTIFY: /* interval in seconds, force flag */
		snprintf(text, sizeof(text), "%u %u", val[0], val[1]);
		cm_log("identify", text);
		return cm_write("identify", text);
	}
	return EINVAL;
}

static int
cm_get(lmc_data_t *mc, int op, unsigned char *val, void *cb_data)
{
	(void)mc;
	(void)cb_data;
	switch (op) {
	case CHASSIS_CONTROL_POWER:
		*val = cm.power;
		return 0;
	case CHASSIS_CONTROL_BOOT:
		*val = cm.boot;
		return 0;
	}
	return EINVAL;
}

/* initstr: the instance's state directory.  The state starts from its files. */
int
ipmi_sim_module_init(sys_data_t *sys, const char *initstr)
{
	char buf[32];

	(void)sys;
	if (initstr == NULL || *initstr == '\0' || strlen(initstr) >= sizeof(cm.dir))
		return EINVAL;
	memcpy(cm.dir, initstr, strlen(initstr) + 1);
	cm.power = cm_read("power", buf, sizeof(buf)) == 0 && strcmp(buf, "0") == 0 ? 0 : 1;
	cm.boot = 2; /* default */
	if (cm_read("boot", buf, sizeof(buf)) == 0)
		for (size_t i = 0; i < sizeof(cm_boot_map) / sizeof(cm_boot_map[0]); i++)
			if (strcmp(cm_boot_map[i].name, buf) == 0)
				cm.boot = cm_boot_map[i].value;
	return 0;
}

/* After the emulator commands: the BMC exists now. */
int
ipmi_sim_module_post_init(sys_data_t *sys)
{
	lmc_data_t *bmc = sys->ipmb_addrs[CM_BMC_IPMB];

	if (bmc == NULL) {
		fprintf(stderr, "chassismod: no BMC at IPMB 0x%02x\n", CM_BMC_IPMB);
		return ENODEV;
	}
	ipmi_mc_set_chassis_control_func(bmc, cm_set, cm_get, NULL);
	return 0;
}
