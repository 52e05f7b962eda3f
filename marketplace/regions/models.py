"""The two-level administration in force since 1 July 2025: 34 provinces and cities,
then wards, communes and special zones. Codes are the General Statistics Office's."""

from django.db import models


class MacroRegion(models.TextChoices):
    """The three regions carriers price by (nội miền / liên miền)."""

    NORTH = "north", "Miền Bắc"
    CENTRAL = "central", "Miền Trung"
    SOUTH = "south", "Miền Nam"


class Province(models.Model):
    code = models.CharField(max_length=2, primary_key=True)
    name = models.CharField(max_length=100)
    name_with_type = models.CharField(max_length=120)
    slug = models.SlugField(max_length=100)
    kind = models.CharField(max_length=20, help_text="tinh or thanh-pho")
    macro_region = models.CharField(max_length=8, choices=MacroRegion.choices)

    class Meta:
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name


class Ward(models.Model):
    code = models.CharField(max_length=5, primary_key=True)
    province = models.ForeignKey(Province, on_delete=models.PROTECT, related_name="wards")
    name = models.CharField(max_length=120)
    name_with_type = models.CharField(max_length=150)
    slug = models.SlugField(max_length=120)
    kind = models.CharField(max_length=20, help_text="phuong, xa or dac-khu")

    class Meta:
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.name_with_type}, {self.province.name}"
